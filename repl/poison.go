package repl

func (sh *Shell) whereisHelper(args string) error { return &lineError{"whereis: not built yet"} }
func (sh *Shell) uidsHelper(args string) error    { return &lineError{"uids: not built yet"} }
func (sh *Shell) probeHelper(args string) error   { return &lineError{"probe: not built yet"} }
func (sh *Shell) saveHelper(args string) error    { return &lineError{"save: not built yet"} }
func (sh *Shell) killHelper(args string) error    { return &lineError{"kill: not built yet"} }

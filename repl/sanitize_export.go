package repl

import "github.com/imapsh/imapsh/repl/internal/render"

// Sanitize returns s made safe for a terminal, on one line: C0 and C1
// controls (CR and LF included), ESC, DEL, invalid UTF-8 and bidi and format
// characters are shown as visible escapes (\x1b, \u202e). main applies it to
// every error it prints, since an error may quote server-controlled text (a
// certificate's names, a greeting). It does not perform I/O.
func Sanitize(s string) string { return render.Sanitize(s) }

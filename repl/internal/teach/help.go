package teach

import (
	"fmt"
	"sort"
	"strings"
)

// Helper is one of the shell's own words, as its helper table lists it.
type Helper struct {
	Name, Usage, Summary string
}

// Commands returns every command and extension entry, in index order.
func Commands() []Command {
	var all []Command
	for _, list := range [][]Command{sessionCommands, mailboxCommands, messageCommands, extensions} {
		all = append(all, list...)
	}
	return all
}

// Topics returns every response, response code, FETCH item, flag and
// concept entry.
func Topics() []Topic {
	var all []Topic
	for _, list := range [][]Topic{responses, codes, items} {
		all = append(all, list...)
	}
	return all
}

var (
	commandIndex = map[string]*Command{}
	topicIndex   = map[string][]*Topic{}
)

func init() {
	for _, list := range [][]Command{sessionCommands, mailboxCommands, messageCommands, extensions} {
		for i := range list {
			commandIndex[list[i].Name] = &list[i]
		}
	}
	for _, list := range [][]Topic{responses, codes, items} {
		for i := range list {
			topicIndex[list[i].Name] = append(topicIndex[list[i].Name], &list[i])
		}
	}
}

// LookupCommand returns the entry of a command ("uid  fetch" finds UID
// FETCH).
func LookupCommand(name string) (*Command, bool) {
	c, ok := commandIndex[normalize(name)]
	return c, ok
}

// Index is the text of help without an argument: the IMAP commands grouped
// by the state in which they are valid, the extensions, then the helpers.
func Index(helpers []Helper) string {
	var b strings.Builder
	b.WriteString("Type IMAP commands as they are (SELECT INBOX, FETCH 1:5 (UID FLAGS)); imapsh adds the tag.\n")
	b.WriteString("A line that starts with its own tag (a1 NOOP) is sent with that tag.\n")
	b.WriteString("Literals without counting: APPEND INBOX <file.eml, APPEND INBOX <<EOF ... EOF, or end a line in {N}.\n")
	b.WriteString("help COMMAND explains a command with an example for --demo; help EXISTS, help UIDVALIDITY, help NO a response;\n")
	b.WriteString("explain on writes what each response means under it; caps explains the server's capabilities.\n")
	b.WriteString("\nIMAP commands, by the state in which they are valid ((ext) or [CAPABILITY]: an extension, not on every server):")
	for st := AnyState; st <= Selected; st++ {
		fmt.Fprintf(&b, "\n%s:", stateTitles[st])
		for _, list := range [][]Command{sessionCommands, mailboxCommands, messageCommands} {
			for i := range list {
				if c := &list[i]; c.State == st {
					writeIndexLine(&b, c)
				}
			}
		}
	}
	b.WriteString("\nExtensions that change the commands above:")
	for i := range extensions {
		writeIndexLine(&b, &extensions[i])
	}
	if len(helpers) > 0 {
		b.WriteString("\n\nHelpers, imapsh's own words (a bare number is a UID; write #N for a sequence number):")
		sorted := append([]Helper(nil), helpers...)
		sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
		for _, h := range sorted {
			fmt.Fprintf(&b, "\n  %-28s %s", h.Usage, h.Summary)
		}
	}
	b.WriteString("\nKeys: Tab completes, Ctrl-R searches history, Ctrl-C clears the line or stops waiting, Ctrl-D logs out.")
	return b.String()
}

func writeIndexLine(b *strings.Builder, c *Command) {
	name := c.Name
	switch {
	case c.Ext || c.Needs == "":
	case strings.HasPrefix(c.Needs, c.Name):
		name += " (ext)"
	default:
		name += " [" + c.Needs + "]"
	}
	fmt.Fprintf(b, "\n  %-28s %s", name, c.Summary)
}

// Help returns the help text of a topic: a command (case-insensitive,
// "uid fetch" as "UID FETCH"), a response, a response code (with or
// without brackets), a FETCH item, a flag or a capability. ok is false
// when nothing matches; the text then says what to try.
func Help(topic string) (text string, ok bool) {
	key := normalize(topic)
	if strings.HasPrefix(key, "[") && strings.HasSuffix(key, "]") {
		key = strings.TrimSpace(key[1 : len(key)-1]) // "[TRYCREATE]"
	}
	if key == "" {
		return "", false
	}
	var parts []string
	if c, found := commandIndex[key]; found {
		parts = append(parts, FormatCommand(c))
	}
	if key == "UID" {
		parts = append(parts, "UID forms: "+strings.Join(uidForms(), ", ")+" (help UID FETCH ...).")
	}
	topics := topicIndex[key]
	if len(parts) == 0 && len(topics) == 0 && strings.HasSuffix(key, "S") {
		topics = topicIndex[strings.TrimSuffix(key, "S")] // "help literals"
	}
	for _, t := range topics {
		parts = append(parts, FormatTopic(t))
	}
	if len(parts) == 0 {
		if name, arg, found := strings.Cut(key, " "); found {
			// "help STORE 1 +FLAGS (\Seen)": the command's entry.
			if c, found := commandIndex[name+" "+strings.Fields(arg)[0]]; found {
				parts = append(parts, FormatCommand(c))
			} else if c, found := commandIndex[name]; found {
				parts = append(parts, FormatCommand(c))
			}
		}
	}
	if len(parts) == 0 {
		if capText, found := CapabilityHelp(key); found {
			parts = append(parts, capText)
		}
	}
	if len(parts) == 0 {
		return fmt.Sprintf("no help for %q: type help for the list of commands; help also knows responses (EXISTS, FETCH), "+
			"response codes (UIDVALIDITY, TRYCREATE), statuses (OK, NO, BAD, BYE), FETCH items (ENVELOPE), flags (\\Deleted) and capabilities (IDLE, SASL-IR)", topic), false
	}
	return strings.Join(parts, "\n\n"), true
}

func uidForms() []string {
	var out []string
	for i := range messageCommands {
		if strings.HasPrefix(messageCommands[i].Name, "UID ") {
			out = append(out, messageCommands[i].Name)
		}
	}
	return out
}

// FormatCommand lays out a command's entry.
func FormatCommand(c *Command) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  (%s)\n", c.Name, c.RFC)
	fmt.Fprintf(&b, "Syntax:    %s\n", c.Syntax)
	if c.Ext {
		fmt.Fprintf(&b, "Extension: %s (advertised as the capability %s)\n", c.Summary, c.Needs)
	} else {
		fmt.Fprintf(&b, "Valid in:  %s\n", c.valid())
		switch {
		case c.Needs != "" && inRev2(c.Needs):
			fmt.Fprintf(&b, "Needs:     the %s capability, or IMAP4rev2 (which includes it)\n", c.Needs)
		case c.Needs != "":
			fmt.Fprintf(&b, "Needs:     the %s capability\n", c.Needs)
		}
	}
	fmt.Fprintf(&b, "%s\n", c.Text)
	fmt.Fprintf(&b, "Responses: %s\n", c.Replies)
	b.WriteString("Example (runs as is in imapsh --demo):")
	for _, s := range c.Example {
		switch {
		case s.Want == None && s.Line == "":
			b.WriteString("\n  (empty line)")
		case s.Want == None:
			fmt.Fprintf(&b, "\n  %s", s.Line)
		case s.Want == Refused:
			fmt.Fprintf(&b, "\n  %-44s -> not sent by imapsh", s.Line)
		default:
			fmt.Fprintf(&b, "\n  %-44s -> %s", s.Line, s.Want)
		}
	}
	if c.Demo != "" {
		fmt.Fprintf(&b, "\n  In the demo: %s", c.Demo)
	}
	if len(c.See) > 0 {
		fmt.Fprintf(&b, "\nSee also: %s", strings.Join(c.See, ", "))
	}
	return b.String()
}

// FormatTopic lays out a response, code, item, flag or concept entry.
func FormatTopic(t *Topic) string {
	var b strings.Builder
	name := t.Name
	if t.Kind == kindCode {
		name = "[" + t.Name + "]"
	}
	fmt.Fprintf(&b, "%s  (%s; %s)\n", name, t.Kind, t.RFC)
	if t.Syntax != "" {
		fmt.Fprintf(&b, "Looks like: %s\n", t.Syntax)
	}
	b.WriteString(t.Text)
	if len(t.See) > 0 {
		fmt.Fprintf(&b, "\nSee also: %s", strings.Join(t.See, ", "))
	}
	return b.String()
}

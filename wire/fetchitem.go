package wire

import "bytes"

// maxItemName caps the name of a FETCH data item the Reader keeps, section
// and partial included. A longer one (a header list of thousands of names)
// is dropped: its literals get no Item.
const maxItemName = 8 << 10

// itemState is where a FETCH response's list of data items (RFC 9051
// section 7.5.2, msg-att) stands at the end of the text scanned so far.
type itemState uint8

const (
	itemNone   itemState = iota // not a FETCH response, or past its list
	itemName0                   // between items: a name comes next
	itemName                    // inside a name
	itemValue0                  // after a name: its value comes next
	itemAtom                    // inside an atom value (a number, NIL)
	itemQuoted                  // inside a quoted value
	itemList                    // inside a parenthesized value (ENVELOPE, BODYSTRUCTURE)
)

// itemTracker follows the data items of one FETCH response across its
// fragments, so that each literal can be given the item whose value holds
// it. It scans only the fragments that announce a literal, each once, and
// does not allocate once its name buffer has grown. The name of an item
// whose section holds a literal (a header field name sent as one, never
// seen in practice) keeps the literal's announcement in place of its
// octets, which the Reader does not see.
type itemTracker struct {
	state   itemState
	name    []byte // the current item's name, upper-cased
	long    bool   // the name grew over maxItemName and was dropped
	section int    // depth of "[" inside the name
	depth   int    // depth of "(" inside a list value
	quoted  bool   // inside a quoted string within a section or a list
	escaped bool   // after a backslash inside a quoted string
}

// start begins a response whose first fragment begins with text. It
// returns the rest of text after "* N FETCH (", or nil and no items to
// follow when the response is not a FETCH. Like ParseHead, it takes single
// spaces between "*", the number and FETCH, so that a literal gets an Item
// only in a response ParseHead names FETCH.
func (t *itemTracker) start(text []byte) []byte {
	*t = itemTracker{name: t.name[:0]}
	if len(text) < 2 || text[0] != '*' || text[1] != ' ' {
		return nil
	}
	b := text[2:]
	i := 0
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	const fetch = " FETCH "
	if i == 0 || len(b) < i+len(fetch) || !bytes.EqualFold(b[i:i+len(fetch)], []byte(fetch)) {
		return nil
	}
	b = bytes.TrimLeft(b[i+len(fetch):], " ")
	if len(b) == 0 || b[0] != '(' {
		return nil
	}
	t.state = itemName0
	return b[1:]
}

// scan follows the items through b, text of the response that is not a
// literal's octets.
func (t *itemTracker) scan(b []byte) {
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch t.state {
		case itemNone:
			return
		case itemName0:
			switch c {
			case ' ':
			case ')':
				t.state = itemNone
				return
			default:
				t.name, t.long, t.section, t.quoted = t.name[:0], false, 0, false
				t.state = itemName
				i-- // c begins the name
			}
		case itemName:
			if t.section == 0 {
				switch c {
				case ' ':
					t.state = itemValue0
					continue
				case '(': // no space before a list value: sloppy
					t.state, t.depth, t.quoted = itemList, 1, false
					continue
				case ')': // a name with no value: sloppy
					t.state = itemNone
					return
				}
			}
			t.appendName(c)
			switch {
			case t.quoted:
				t.quote(c)
			case c == '[':
				t.section++
			case c == ']' && t.section > 0:
				t.section--
			case c == '"' && t.section > 0:
				t.quoted, t.escaped = true, false
			}
		case itemValue0:
			switch c {
			case ' ':
			case '(':
				t.state, t.depth, t.quoted = itemList, 1, false
			case '"':
				t.state, t.quoted, t.escaped = itemQuoted, true, false
			case ')':
				t.state = itemNone
				return
			default:
				t.state = itemAtom
			}
		case itemAtom:
			switch c {
			case ' ':
				t.state = itemName0
			case ')':
				t.state = itemNone
				return
			}
		case itemQuoted:
			if t.quote(c); !t.quoted {
				t.state = itemName0
			}
		case itemList:
			switch {
			case t.quoted:
				t.quote(c)
			case c == '"':
				t.quoted, t.escaped = true, false
			case c == '(':
				t.depth++
			case c == ')':
				if t.depth--; t.depth == 0 {
					t.state = itemName0
				}
			}
		}
	}
}

// quote follows c inside a quoted string: a backslash escapes the next
// byte, a double quote ends the string.
func (t *itemTracker) quote(c byte) {
	switch {
	case t.escaped:
		t.escaped = false
	case c == '\\':
		t.escaped = true
	case c == '"':
		t.quoted = false
	}
}

// literal is called at a literal announcement ann, after scan has read the
// text before it. It returns the item the literal belongs to (nil if none)
// and moves past the literal.
func (t *itemTracker) literal(ann []byte) []byte {
	switch t.state {
	case itemValue0, itemAtom:
		t.state = itemName0
		return t.item()
	case itemList, itemQuoted:
		return t.item()
	case itemName:
		if t.section == 0 { // "BODY[]{5}": no space before the value
			t.state = itemName0
			return t.item()
		}
		// Inside a section: the literal is part of the name.
		for _, c := range ann {
			t.appendName(c)
		}
	case itemName0:
		// A literal where a name belongs: its value follows, nameless.
		t.name, t.long, t.state = t.name[:0], true, itemValue0
	}
	return nil
}

func (t *itemTracker) item() []byte {
	if t.long {
		return nil
	}
	return t.name
}

func (t *itemTracker) appendName(c byte) {
	if len(t.name) >= maxItemName {
		t.long = true
		return
	}
	if 'a' <= c && c <= 'z' {
		c -= 'a' - 'A'
	}
	t.name = append(t.name, c)
}

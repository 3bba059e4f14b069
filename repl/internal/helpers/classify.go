package helpers

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/imapsh/imapsh/wire"
)

// Outcome is what one FETCH item got. whereis, probe and save judge items
// with the same function (judge), so they never contradict each other.
type Outcome uint8

const (
	Delivered  Outcome = iota // the item came, whole
	Withheld                  // the server said OK but sent no data for it
	Nil                       // NIL in its place
	Refused                   // NO or BAD, with the server's text
	Substitute                // content the server made up in place of the message
	Short                     // fewer octets than RFC822.SIZE announces
	Lost                      // the connection ended before it came whole
)

// Item is one item's outcome.
type Item struct {
	Name    string // "RFC822.SIZE", "BODY[]" ...
	Outcome Outcome
	Size    int64  // octets of a body section that came
	Want    int64  // octets announced (Short, Lost)
	Why     string // the server's text (Refused), the reason (Substitute), a remark (Delivered)
}

func (it Item) String() string {
	switch it.Outcome {
	case Delivered:
		s := "delivered"
		if strings.HasPrefix(it.Name, "BODY[") {
			s = fmt.Sprintf("delivered (%s)", octets(it.Size))
		}
		if it.Why != "" {
			s += "; " + it.Why
		}
		return s
	case Withheld:
		if strings.HasPrefix(it.Name, "the ") {
			return "withheld: the server said OK but sent nothing for " + it.Name
		}
		return fmt.Sprintf("withheld: the server said OK but sent no %s", it.Name)
	case Nil:
		return "NIL"
	case Refused:
		return "refused: " + it.Why
	case Substitute:
		return fmt.Sprintf("server-made substitute (%s): %s", octets(it.Size), it.Why)
	case Short:
		if it.Want <= 0 {
			return fmt.Sprintf("short: %s, though a message has at least a header", octets(it.Size))
		}
		return fmt.Sprintf("short: %d of the %s RFC822.SIZE announces", it.Size, octets(it.Want))
	}
	if it.Want > 0 {
		return fmt.Sprintf("connection lost after %d of %s", it.Size, octets(it.Want))
	}
	return "connection lost before it came"
}

// Good reports an item that came as it is.
func (it Item) Good() bool { return it.Outcome == Delivered }

// facts is what is known of the message to judge a body section against.
type facts struct {
	size    int64 // RFC822.SIZE
	hasSize bool
	// whole is set once BODY[] came whole and matched RFC822.SIZE: the
	// message is delivered, and its parts are parts of it, whatever they
	// read like.
	whole bool
	// textOctets is the body size BODYSTRUCTURE gives for a message of
	// one part (body-fld-octets, RFC 9051 section 9); -1 when not known.
	textOctets int64
}

// factsOf gathers the facts m holds.
func factsOf(m *msgInfo) facts {
	f := facts{textOctets: -1}
	if m == nil {
		return f
	}
	if m.Has["RFC822.SIZE"] && !m.Nil["RFC822.SIZE"] {
		f.size, f.hasSize = m.Size, true
	}
	if v := m.Structure; v.Kind == wire.List && len(v.List) > 6 && v.List[0].Kind != wire.List {
		if n, ok := v.List[6].Number(); ok {
			f.textOctets = int64(n)
		}
	}
	return f
}

// judge says what a FETCH got of item, given the facts known. res.lost
// and res.stopped are for the caller; a stopped fetch is not judged.
func judge(item string, res fetched, f facts) Item {
	it := Item{Name: item}
	sec, isSec := section{}, false
	if res.info != nil {
		sec, isSec = res.info.section(item)
	}
	switch {
	case res.lost:
		it.Outcome, it.Size, it.Want = Lost, sec.Size, sec.Announced
		return it
	case res.status.Name != "OK":
		it.Outcome, it.Why = Refused, StatusText(res.status)
		return it
	case strings.HasPrefix(item, "BODY["):
		switch {
		case res.foreign[item] != 0:
			it.Outcome, it.Why = Withheld, fmt.Sprintf("the server sent %s of another message (UID %d) instead", item, res.foreign[item])
		case !isSec:
			it.Outcome = Withheld
		case sec.Nil:
			it.Outcome = Nil
		default:
			it = judgeSection(item, sec, f)
		}
		return it
	case !res.info.has(item):
		it.Outcome = Withheld
	case res.info.Nil[item]:
		it.Outcome = Nil
	}
	return it
}

// judgeSection judges body section octets that came.
func judgeSection(item string, sec section, f facts) Item {
	it := Item{Name: item, Size: sec.Size}
	marks := noticeMarks(sec.Head)
	switch item {
	case "BODY[]":
		switch {
		case f.hasSize && sec.Size == f.size:
			if len(marks) > 0 {
				it.Why = "its content reads like a server's retrieval-failure notice (" + strings.Join(marks, "; ") +
					"), but it is what the server stores: it came whole and its size matches RFC822.SIZE"
			}
		case len(marks) > 0:
			it.Outcome, it.Why = Substitute, strings.Join(marks, "; ")
			if f.hasSize {
				it.Why += fmt.Sprintf("; %s where RFC822.SIZE says %d", octets(sec.Size), f.size)
			}
		case f.hasSize && sec.Size < f.size:
			it.Outcome, it.Want = Short, f.size
		case f.hasSize && far(sec.Size, f.size):
			it.Outcome, it.Why = Substitute, fmt.Sprintf("%s where RFC822.SIZE says %d", octets(sec.Size), f.size)
		case f.hasSize:
			it.Why = fmt.Sprintf("RFC822.SIZE says %d (some servers, Exchange among them, only estimate it)", f.size)
		case sec.Size == 0:
			it.Outcome = Short // a message has at least a header
		}
	case "BODY[]<0>":
		want := int64(headKeep)
		if f.hasSize {
			want = min(want, f.size)
		}
		switch {
		case len(marks) > 0 && !f.whole:
			it.Outcome, it.Why = Substitute, strings.Join(marks, "; ")
		case f.hasSize && sec.Size < want:
			it.Outcome, it.Want = Short, f.size
		}
	default:
		switch {
		case len(marks) > 0 && !f.whole:
			it.Outcome, it.Why = Substitute, strings.Join(marks, "; ")
		case f.hasSize && sec.Size > f.size && far(sec.Size, f.size) && !f.whole:
			it.Outcome, it.Why = Substitute, fmt.Sprintf("%s, more than the whole message's RFC822.SIZE %d", octets(sec.Size), f.size)
		case item == "BODY[TEXT]" && f.textOctets >= 0 && far(sec.Size, f.textOctets) && !f.whole:
			it.Outcome, it.Why = Substitute, fmt.Sprintf("%s where BODYSTRUCTURE says the body has %d", octets(sec.Size), f.textOctets)
		}
	}
	return it
}

// far reports sizes too far apart to be an estimate's error: over 1 KiB
// and over twice apart.
func far(a, b int64) bool {
	d := a - b
	return (d > 1024 || d < -1024) && (a > 2*b || b > 2*a)
}

// noticePhrases are phrases of the notices servers deliver in place of a
// message they cannot read (Exchange 2010 and later).
var noticePhrases = []string{
	"retrieval using the imap4 protocol failed",
	"couldn't retrieve the following message",
	"could not retrieve the following message",
}

// noticeMarks says why content looks like such a notice: a phrase that
// names the retrieval failure, or a From that is no address but the
// server itself ("From: Microsoft Exchange Server 2010").
func noticeMarks(head []byte) []string {
	var marks []string
	low := bytes.ToLower(head)
	for _, m := range noticePhrases {
		if bytes.Contains(low, []byte(m)) {
			marks = append(marks, fmt.Sprintf("it contains %q", m))
			break
		}
	}
	if from, ok := headerField(head, "From"); ok && !strings.Contains(from, "@") {
		marks = append(marks, fmt.Sprintf("its From, %q, is no mail address but the server's own name", field(from)))
	}
	return marks
}

// headerField returns the unfolded value of the first header field name
// in the header that starts head.
func headerField(head []byte, name string) (string, bool) {
	lines := strings.Split(strings.ReplaceAll(string(head), "\r\n", "\n"), "\n")
	for i, l := range lines {
		if l == "" {
			return "", false // the end of the header
		}
		k, v, ok := strings.Cut(l, ":")
		if !ok || k == "" || k[0] == ' ' || k[0] == '\t' || !strings.EqualFold(strings.TrimSpace(k), name) {
			continue
		}
		for _, more := range lines[i+1:] {
			if more == "" || (more[0] != ' ' && more[0] != '\t') {
				break
			}
			v += " " + strings.TrimSpace(more)
		}
		return strings.TrimSpace(v), true
	}
	return "", false
}

// section returns body section item of m. The header fields item is
// found whatever the server made of the field names' case or quotes.
func (m *msgInfo) section(item string) (section, bool) {
	if s, ok := m.Sections[item]; ok {
		return s, true
	}
	const fields = "BODY[HEADER.FIELDS ("
	if strings.HasPrefix(item, fields) {
		for k, s := range m.Sections {
			if strings.HasPrefix(k, fields) {
				return s, true
			}
		}
	}
	return section{}, false
}

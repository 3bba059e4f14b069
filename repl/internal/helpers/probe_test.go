package helpers

import (
	"strings"
	"testing"
)

func TestJudgeSection(t *testing.T) {
	notice := "From: Microsoft Exchange Server 2010\r\nSubject: Retrieval using the IMAP4 protocol failed for the following message:\r\n 15541\r\n\r\n"
	plain := "From: Tomas <tomas@kth.example>\r\nSubject: hello\r\n\r\nbody\r\n"
	sized := facts{size: 4821, hasSize: true, textOctets: -1}
	tests := []struct {
		item string
		head string
		size int64
		f    facts
		want Outcome
		why  string
	}{
		// The seed's header fields: the server's notice.
		{"BODY[HEADER.FIELDS (FROM SUBJECT)]", notice, 127, facts{textOctets: -1}, Substitute, `"retrieval using the imap4 protocol failed"`},
		{"BODY[HEADER.FIELDS (FROM SUBJECT)]", "From: Microsoft Exchange Server 2010\r\n\r\n", 40, facts{textOctets: -1}, Substitute, "is no mail address"},
		{"BODY[HEADER.FIELDS (FROM SUBJECT)]", plain, 50, sized, Delivered, ""},
		// A notice instead of a 4821-octet message.
		{"BODY[]", notice, 795, sized, Substitute, "795 octets where RFC822.SIZE says 4821"},
		// The same text, stored as such (Dovecot): whole, matching: delivered.
		{"BODY[]", notice, 595, facts{size: 595, hasSize: true, textOctets: -1}, Delivered, "reads like a server's retrieval-failure notice"},
		// Once BODY[] came whole, its parts are its parts.
		{"BODY[HEADER]", notice, 200, facts{size: 595, hasSize: true, whole: true, textOctets: -1}, Delivered, ""},
		{"BODY[]", plain, 2410, sized, Short, ""},
		{"BODY[]", plain, 0, facts{textOctets: -1}, Short, ""},
		{"BODY[]", plain, 4000, facts{size: 3900, hasSize: true, textOctets: -1}, Delivered, "only estimate"},
		{"BODY[]", plain, 100000, facts{size: 4000, hasSize: true, textOctets: -1}, Substitute, "100000 octets where RFC822.SIZE says 4000"},
		{"BODY[]", plain, 4821, facts{textOctets: -1}, Delivered, ""},
		{"BODY[TEXT]", "body", 5000, facts{textOctets: 1}, Substitute, "BODYSTRUCTURE says the body has 1"},
		{"BODY[TEXT]", "body", 5000, facts{textOctets: 4990}, Delivered, ""},
		{"BODY[]<0>", plain, 4096, sized, Delivered, ""},
		{"BODY[]<0>", plain, 100, sized, Short, ""},
		{"BODY[]<0>", plain, 100, facts{size: 100, hasSize: true, textOctets: -1}, Delivered, ""},
	}
	for _, tt := range tests {
		it := judgeSection(tt.item, section{Size: tt.size, Announced: tt.size, Head: []byte(tt.head)}, tt.f)
		if it.Outcome != tt.want || !strings.Contains(it.Why, tt.why) {
			t.Errorf("judgeSection(%s, %q, %d octets) = %v %q, want %v with %q", tt.item, tt.head[:min(20, len(tt.head))], tt.size, it.Outcome, it.Why, tt.want, tt.why)
		}
	}
}

func TestHeaderField(t *testing.T) {
	head := []byte("Subject: a\r\n b\r\nFROM:  x@y\r\n\r\nFrom: body\r\n")
	if v, ok := headerField(head, "subject"); !ok || v != "a b" {
		t.Errorf("Subject = %q, %v", v, ok)
	}
	if v, ok := headerField(head, "From"); !ok || v != "x@y" {
		t.Errorf("From = %q, %v", v, ok)
	}
	if _, ok := headerField([]byte("Subject: a\r\n\r\nFrom: body\r\n"), "From"); ok {
		t.Error("a From in the body was taken for the header's")
	}
	if _, ok := headerField([]byte(": x\r\n"), "From"); ok {
		t.Error("an empty field name matched")
	}
}

func TestCount(t *testing.T) {
	for n, want := range map[int]string{0: "0 messages", 1: "1 message", 2: "2 messages", 1234: "1234 messages"} {
		if got := count(n, "message"); got != want {
			t.Errorf("count(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestField: a decoded header value with a line feed cannot make a line
// of its own in a report.
func TestField(t *testing.T) {
	got := field("Hello\n# killed UID 15541\r\nmore")
	if strings.ContainsAny(got, "\r\n") || got != "Hello␊# killed UID 15541␍␊more" {
		t.Errorf("field = %q", got)
	}
}

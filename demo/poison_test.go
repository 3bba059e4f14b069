package demo

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-imap/v2"
)

func TestPoisonListed(t *testing.T) {
	s := startWith(t, Options{Poison: PoisonWithholdContent}) // the kinder rehearsal
	rc := dialRaw(t, s)
	rc.login("")
	sel := strings.Join(rc.ok("a1", "SELECT Poison"), "")
	for _, want := range []string{"* 21 EXISTS", "[UNSEEN 14]", "[UIDNEXT 33]", "[UIDVALIDITY 7]"} {
		if !strings.Contains(sel, want) {
			t.Errorf("SELECT Poison lacks %q:\n%s", want, sel)
		}
	}

	c := dial(t, s)
	selectMailbox(t, c, "Poison")
	msgs := fetch(t, c, allSeq, &imap.FetchOptions{UID: true, Flags: true})
	if len(msgs) != 21 {
		t.Fatalf("FETCH 1:* (UID FLAGS): %d messages, want 21", len(msgs))
	}
	var deleted []uint32
	for _, m := range msgs {
		if hasFlag(m.Flags, imap.FlagDeleted) {
			deleted = append(deleted, m.SeqNum)
		}
	}
	if want := []uint32{16, 18, 20}; !slices.Equal(deleted, want) {
		t.Errorf("\\Deleted messages = %v, want %v", deleted, want)
	}
	p := msgs[poisonSeq-1]
	if p.SeqNum != poisonSeq || p.UID != poisonUID || p.UID == imap.UID(p.SeqNum) || len(p.Flags) != 0 {
		t.Errorf("poison = seq %d UID %d flags %v, want seq %d UID %d, no flags",
			p.SeqNum, p.UID, p.Flags, poisonSeq, poisonUID)
	}

	// Metadata works: the story's "a03 fetch 1045 (body)" answered.
	meta := fetch(t, c, imap.SeqSetNum(poisonSeq), &imap.FetchOptions{
		UID: true, Flags: true, RFC822Size: true, Envelope: true, InternalDate: true,
		BodyStructure: &imap.FetchItemBodyStructure{Extended: true},
	})
	if len(meta) != 1 || meta[0].UID != poisonUID || meta[0].RFC822Size == 0 ||
		meta[0].Envelope == nil || !strings.HasPrefix(meta[0].Envelope.Subject, "Retrieval using the IMAP4 protocol failed") ||
		meta[0].InternalDate.Year() != 2026 || meta[0].BodyStructure == nil {
		t.Errorf("FETCH %d metadata = %+v", poisonSeq, meta)
	}

	// SEARCH finds it, by sequence number and by UID.
	all, err := c.Search(&imap.SearchCriteria{}, nil).Wait()
	if err != nil || !slices.Contains(all.AllSeqNums(), poisonSeq) || len(all.AllSeqNums()) != 21 {
		t.Errorf("SEARCH ALL = %v, %v; want 1..21", all.AllSeqNums(), err)
	}
	header := &imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{poisonField}}
	found, err := c.UIDSearch(header, nil).Wait()
	if err != nil || !slices.Equal(found.AllUIDs(), []imap.UID{poisonUID}) {
		t.Errorf("UID SEARCH HEADER X-Imapsh-Demo poison = %v, %v; want [%d]", found.AllUIDs(), err, poisonUID)
	}
}

// TestPoisonContentWithheld replays the story: any FETCH of the poison's
// content completes OK without a single FETCH response.
func TestPoisonContentWithheld(t *testing.T) {
	s := startWith(t, Options{Poison: PoisonWithholdContent}) // the kinder rehearsal
	rc := dialRaw(t, s)
	rc.login("Poison")
	items := []string{
		"body.peek[header.fields (date to cc from subject x-priority content-type)]",
		"BODY.PEEK[]", "BODY[]", "BODY.PEEK[HEADER]", "BODY.PEEK[TEXT]", "BODY.PEEK[1]",
		"BODY.PEEK[]<0.10>", "BINARY.PEEK[1]", "BINARY[1]", "BINARY.SIZE[1]",
		"RFC822", "RFC822.HEADER", "RFC822.TEXT",
	}
	for i, item := range items {
		for _, cmd := range []string{
			fmt.Sprintf("fetch %d (uid rfc822.size flags %s)", poisonSeq, item),
			fmt.Sprintf("FETCH %d %s", poisonSeq, item),
			fmt.Sprintf("UID FETCH %d (%s)", poisonUID, item),
		} {
			tag := fmt.Sprintf("c%d", i)
			want := tag + " OK FETCH completed\r\n"
			if strings.HasPrefix(cmd, "UID") {
				want = tag + " OK UID FETCH completed\r\n"
			}
			if got := rc.do(tag, cmd); len(got) != 1 || got[0] != want {
				t.Errorf("%s %s = %q, want only %q", tag, cmd, got, want)
			}
		}
	}
	// BODY[] without PEEK didn't mark it \Seen either.
	got := rc.ok("d1", fmt.Sprintf("FETCH %d (FLAGS)", poisonSeq))
	if want := fmt.Sprintf("* %d FETCH (FLAGS ())\r\n", poisonSeq); got[0] != want {
		t.Errorf("after BODY[]: %q, want %q", got[0], want)
	}
}

func TestPoisonRangeFetchDeliversTheRest(t *testing.T) {
	s := startWith(t, Options{Poison: PoisonWithholdContent}) // the kinder rehearsal
	c := dial(t, s)
	selectMailbox(t, c, "Poison")
	body := &imap.FetchItemBodySection{Peek: true}
	sets := []imap.NumSet{allSeq, allUID, imap.SeqSet{{Start: 10, Stop: 16}}}
	wants := []int{20, 20, 6}
	for i, set := range sets {
		msgs := fetch(t, c, set, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{body}})
		if len(msgs) != wants[i] {
			t.Errorf("FETCH %v BODY.PEEK[]: %d messages, want %d", set, len(msgs), wants[i])
		}
		for _, m := range msgs {
			text := string(m.FindBodySection(body))
			if m.SeqNum == poisonSeq || m.UID == poisonUID || !strings.Contains(text, "Message-ID: <") ||
				strings.Contains(text, "X-Imapsh-Demo") {
				t.Errorf("FETCH %v: message seq %d UID %d, body %.40q", set, m.SeqNum, m.UID, text)
			}
		}
	}

	// "$" (SEARCHRES) resolves through the same path: the unseen ones
	// minus the poison.
	rc := dialRaw(t, s)
	rc.login("Poison")
	rc.ok("e1", "SEARCH RETURN (SAVE) UNSEEN")
	var seqs []string
	for _, resp := range rc.ok("e2", "FETCH $ (BODY.PEEK[HEADER.FIELDS (SUBJECT)])") {
		if f := strings.Fields(resp); len(f) > 2 && f[0] == "*" && f[2] == "FETCH" {
			seqs = append(seqs, f[1])
		}
	}
	if want := []string{"15", "16", "18", "19", "20", "21"}; !slices.Equal(seqs, want) {
		t.Errorf("FETCH $ after SEARCH UNSEEN: %v, want %v", seqs, want)
	}
}

func TestUIDExpungeRemovesOnlyThePoison(t *testing.T) {
	s := start(t)
	c := dial(t, s)
	selectMailbox(t, c, "Poison")
	store := &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}
	if err := c.Store(imap.UIDSetNum(poisonUID), store, nil).Close(); err != nil {
		t.Fatalf("UID STORE: %v", err)
	}
	expunged, err := c.UIDExpunge(imap.UIDSetNum(poisonUID)).Collect()
	if err != nil || !slices.Equal(expunged, []uint32{poisonSeq}) {
		t.Fatalf("UID EXPUNGE %d = %v, %v; want [%d]", poisonUID, expunged, err, poisonSeq)
	}
	msgs := fetch(t, c, allSeq, &imap.FetchOptions{UID: true, Flags: true})
	deleted := 0
	for _, m := range msgs {
		if m.UID == poisonUID {
			t.Errorf("UID %d still there at seq %d", poisonUID, m.SeqNum)
		}
		if hasFlag(m.Flags, imap.FlagDeleted) {
			deleted++
		}
	}
	if len(msgs) != 20 || deleted != 3 {
		t.Errorf("after UID EXPUNGE: %d messages, %d \\Deleted; want 20 and 3", len(msgs), deleted)
	}
}

// TestBareExpungeTakesTheOthers shows the trap in the story: a bare EXPUNGE
// also removes the messages that were already \Deleted.
func TestBareExpungeTakesTheOthers(t *testing.T) {
	s := start(t)
	rc := dialRaw(t, s)
	rc.login("Poison")
	rc.ok("f1", fmt.Sprintf("STORE %d +FLAGS.SILENT (\\Deleted)", poisonSeq))
	got := rc.ok("f2", "EXPUNGE")
	want := []string{"* 20 EXPUNGE\r\n", "* 18 EXPUNGE\r\n", "* 16 EXPUNGE\r\n", "* 14 EXPUNGE\r\n", "f2 OK EXPUNGE completed\r\n"}
	if !slices.Equal(got, want) {
		t.Errorf("EXPUNGE = %q, want %q", got, want)
	}
}

// TestConcurrentExpungeDuringFetch runs content FETCHes in one session while
// another expunges; run it with -race.
func TestConcurrentExpungeDuringFetch(t *testing.T) {
	s := start(t)
	reader, writer := dial(t, s), dial(t, s)
	selectMailbox(t, reader, "Poison")
	selectMailbox(t, writer, "Poison")
	body := &imap.FetchItemBodySection{Peek: true, Specifier: imap.PartSpecifierHeader}

	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for uid := imap.UID(1); uid <= 32; uid++ {
			store := &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}
			writer.Store(imap.UIDSetNum(uid), store, nil).Close()
			writer.UIDExpunge(imap.UIDSetNum(uid)).Close()
		}
	}()
	for range 20 {
		msgs, err := reader.Fetch(allSeq, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{body}}).Collect()
		if err != nil {
			t.Fatalf("FETCH during EXPUNGE: %v", err)
		}
		for _, m := range msgs {
			if m.UID == poisonUID && len(m.FindBodySection(body)) > 0 {
				t.Fatalf("poison content delivered at seq %d", m.SeqNum)
			}
		}
	}
	wg.Wait()
}

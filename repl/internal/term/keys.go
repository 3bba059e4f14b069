package term

import (
	"io"
	"sync"
	"unicode/utf8"
)

// Keys the reader hands to the line editor in place of what was typed.
const (
	keyNUL       = 0x00
	keyInterrupt = 0x03 // Ctrl-C
	keyBell      = 0x07 // Ctrl-G: leaves completion and history search
	keyEsc       = 0x1b
	keyDel       = 0x7f

	// pasteMark stands in the key stream for a run of text that the
	// console's listener inserts in one step. It is a format character
	// (zero width), so the editor's cursor arithmetic is not upset while
	// it sits in the buffer for a moment.
	pasteMark = '\u2064' // INVISIBLE PLUS

	// pasteMin is the shortest run of text, arriving in one go, that is
	// inserted in one step. Typing delivers a key or two at a time; a
	// paste, or input typed ahead while the shell was busy, comes in
	// runs. Shorter runs go through key by key, as typed.
	pasteMin = 32

	// maxPending caps the input read ahead of the editor: the reader
	// stops reading the terminal until the editor catches up.
	maxPending = 4 << 20
)

// interruptKeys are handed to the editor for Ctrl-C, for a wake and at the
// end of input: Ctrl-G first leaves an open completion list or a history
// search (where Ctrl-C alone would only close it and keep the half line),
// then Ctrl-C drops the line and ends the read.
var interruptKeys = []byte{keyBell, keyInterrupt}

// keyReader sits between the terminal and the line editor. A goroutine
// reads the terminal ahead into a buffer (a blocked read of a terminal
// cannot be interrupted); Read hands the editor what was typed, with these
// changes:
//
//   - a run of at least pasteMin characters that arrived in one go (a
//     paste) becomes Ctrl-G (which closes a completion list or a search)
//     and one pasteMark, its text queued for the listener, so that the
//     editor redraws the line once, not once per character (which takes
//     time that grows with the square of the line's length);
//   - Ctrl-C becomes Ctrl-G Ctrl-C, so that it always drops the line;
//   - NUL (Ctrl-Space) is dropped: the editor would take it for the end
//     of input (and submit the half line, or end the session);
//   - Wake, and the end of the terminal's input, deliver Ctrl-G Ctrl-C,
//     which ends the read in progress (or the next one), and are reported
//     by took.
//
// It is safe for concurrent use.
type keyReader struct {
	src   io.Reader
	start sync.Once

	mu      sync.Mutex
	cond    *sync.Cond
	raw     []byte // read from the terminal, not yet filtered
	out     []byte // filtered, for the editor
	srcErr  error  // the terminal's input ended
	closed  bool
	wake    bool     // a wake was asked for and not yet handed to the editor
	woken   bool     // the wake keys were handed to the editor
	hangup  bool     // the end-of-input keys were handed to the editor
	pastes  [][]rune // the text of each pasteMark handed out, oldest first
	seq     seqState
	pasteOn bool // false sends pastes key by key (for the benchmark)
}

// seqState tracks an escape sequence split across reads, so that its bytes
// are never taken for text.
type seqState int

const (
	seqNone seqState = iota
	seqEsc           // after ESC
	seqCSI           // after ESC [
	seqSS3           // after ESC O
)

func newKeyReader(src io.Reader) *keyReader {
	k := &keyReader{src: src, pasteOn: true}
	k.cond = sync.NewCond(&k.mu)
	return k
}

func (k *keyReader) pump() {
	buf := make([]byte, 32<<10)
	for {
		n, err := k.src.Read(buf)
		k.mu.Lock()
		k.raw = append(k.raw, buf[:n]...)
		if err != nil {
			k.srcErr = err
		}
		k.cond.Broadcast()
		for len(k.raw) >= maxPending && !k.closed {
			k.cond.Wait()
		}
		stop := k.closed || err != nil
		k.mu.Unlock()
		if stop {
			return
		}
	}
}

// Read implements io.Reader for the line editor.
func (k *keyReader) Read(p []byte) (int, error) {
	k.start.Do(func() { go k.pump() })
	k.mu.Lock()
	defer k.mu.Unlock()
	for len(k.out) == 0 {
		switch {
		case k.closed:
			return 0, io.EOF
		case k.wake:
			k.wake, k.woken = false, true
			k.out = append(k.out, interruptKeys...)
		case len(k.raw) > 0:
			before := len(k.raw)
			k.filter(k.srcErr != nil)
			k.cond.Broadcast() // room for the pump
			if len(k.out) == 0 && len(k.raw) == before {
				k.cond.Wait() // an incomplete character: wait for the rest
			}
		case k.srcErr != nil && !k.hangup:
			// Drop the half line before the end of input, rather than let
			// the editor submit it.
			k.hangup = true
			k.out = append(k.out, interruptKeys...)
		case k.srcErr != nil:
			return 0, io.EOF
		default:
			k.cond.Wait()
		}
	}
	n := copy(p, k.out)
	k.out = k.out[n:]
	return n, nil
}

// filter moves what it can from raw to out. An incomplete UTF-8 character
// at the end stays in raw unless final.
func (k *keyReader) filter(final bool) {
	b := k.raw
	i := 0
	for i < len(b) {
		c := b[i]
		if c < 0x20 && c != keyEsc {
			// A control key ends any sequence (the editor reads it
			// as a key of its own).
			k.seq = seqNone
		}
		switch k.seq {
		case seqEsc:
			switch c {
			case '[':
				k.seq = seqCSI
			case 'O':
				k.seq = seqSS3
			default:
				k.seq = seqNone
				if c >= 0x80 {
					// Alt with a non-ASCII key: pass the whole character.
					_, size := utf8.DecodeRune(b[i:])
					if !utf8.FullRune(b[i:]) && !final {
						k.raw = b[i:]
						return
					}
					k.out = append(k.out, b[i:i+size]...)
					i += size
					continue
				}
				if c == keyEsc {
					k.seq = seqEsc
				}
			}
			k.out = append(k.out, c)
			i++
			continue
		case seqCSI:
			if c >= 0x40 && c <= 0x7e {
				k.seq = seqNone
			}
			k.out = append(k.out, c)
			i++
			continue
		case seqSS3:
			k.seq = seqNone
			k.out = append(k.out, c)
			i++
			continue
		}
		switch {
		case c == keyNUL:
			i++
		case c == keyInterrupt:
			k.out = append(k.out, interruptKeys...)
			i++
		case c == keyEsc:
			k.seq = seqEsc
			k.out = append(k.out, c)
			i++
		case c < 0x20 || c == keyDel:
			k.out = append(k.out, c)
			i++
		default:
			j, complete := textRun(b, i, final)
			k.text(b[i:j])
			i = j
			if !complete {
				k.raw = b[i:]
				return
			}
		}
	}
	k.raw = b[:0]
}

// textRun returns the end of the run of text that starts at i: printable
// characters up to a control byte or the end. complete is false when the
// run stops at an incomplete character at the end of b.
func textRun(b []byte, i int, final bool) (end int, complete bool) {
	for i < len(b) {
		c := b[i]
		if c < 0x20 || c == keyDel {
			return i, true
		}
		if c < utf8.RuneSelf {
			i++
			continue
		}
		if !utf8.FullRune(b[i:]) {
			if final {
				return len(b), true
			}
			return i, false
		}
		_, size := utf8.DecodeRune(b[i:])
		i += size
	}
	return i, true
}

// text passes a run of text to the editor: key by key when short, as one
// pasteMark when long (or when it holds a pasteMark itself, so that every
// mark the listener sees has its text queued).
func (k *keyReader) text(run []byte) {
	if len(run) == 0 {
		return
	}
	rs := []rune(string(run))
	mark := false
	for _, r := range rs {
		if r == pasteMark {
			mark = true
			break
		}
	}
	if !k.pasteOn || (len(rs) < pasteMin && !mark) {
		k.out = append(k.out, run...)
		return
	}
	k.pastes = append(k.pastes, rs)
	k.out = append(k.out, keyBell)
	k.out = utf8.AppendRune(k.out, pasteMark)
}

// takePaste returns the text queued for the oldest pasteMark.
func (k *keyReader) takePaste() ([]rune, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.pastes) == 0 {
		return nil, false
	}
	rs := k.pastes[0]
	k.pastes[0] = nil
	k.pastes = k.pastes[1:]
	return rs, true
}

// Wake makes the read in progress, or the next one, end as if Ctrl-C were
// pressed; took reports it. Several wakes before the editor sees one make
// one.
func (k *keyReader) Wake() {
	k.mu.Lock()
	k.wake = true
	k.cond.Broadcast()
	k.mu.Unlock()
}

// took reports, and forgets, whether the wake keys or the end-of-input keys
// were handed to the editor since the last call.
func (k *keyReader) took() (woken, ended bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	woken, ended = k.woken, k.hangup
	k.woken = false
	return woken, ended
}

// Close makes pending and later Reads return io.EOF. The goroutine reading
// the terminal ends after its read in progress returns.
func (k *keyReader) Close() error {
	k.mu.Lock()
	k.closed = true
	k.cond.Broadcast()
	k.mu.Unlock()
	return nil
}

package main

import (
	"bufio"
	"encoding/base64"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"
)

// fill writes generated messages into a Maildir folder, faster than any
// client could APPEND them: each is written to tmp/ and renamed into cur/
// with its size in the name, as Dovecot's maildir driver does. A message
// is multipart: a short text part and a base64 attachment that brings it
// to about -size octets, with LF line ends as a delivery agent stores
// them. The content is the same on every run (a fixed seed).
func fill(args []string) error {
	fs := flag.NewFlagSet("fill", flag.ExitOnError)
	dir := fs.String("dir", "", "the Maildir folder (created with cur/ new/ tmp/)")
	count := fs.Int("count", 1, "how many messages")
	size := fs.Int64("size", 500<<10, "about how large each is, in octets")
	uid := fs.Int("uid", -1, "owner of the files (-1: unchanged)")
	gid := fs.Int("gid", -1, "group of the files (-1: unchanged)")
	fs.Parse(args)
	if *dir == "" || *count < 1 || *size < 4096 {
		return fmt.Errorf("need -dir, -count >= 1 and -size >= 4096")
	}
	for _, sub := range []string{"", "cur", "new", "tmp"} {
		p := filepath.Join(*dir, sub)
		if err := os.MkdirAll(p, 0o700); err != nil {
			return err
		}
		if err := os.Lchown(p, *uid, *gid); err != nil {
			return err
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2024, 1, 1, 8, 0, 0, 0, time.UTC)
	var total int64
	for n := range *count {
		date := start.Add(time.Duration(n) * time.Minute)
		tmp := filepath.Join(*dir, "tmp", fmt.Sprintf("%d.M%dP%d.bench", date.Unix(), n, os.Getpid()))
		written, err := writeMessage(tmp, n, *count, *size, date, rng)
		if err == nil {
			err = os.Chown(tmp, *uid, *gid)
		}
		if err == nil {
			name := fmt.Sprintf("%d.M%dP1.bench,S=%d:2,S", date.Unix(), n, written)
			err = os.Rename(tmp, filepath.Join(*dir, "cur", name))
		}
		if err != nil {
			os.Remove(tmp)
			return err
		}
		total += written
	}
	fmt.Printf("%d messages, %d octets in %s\n", *count, total, *dir)
	return nil
}

// writeMessage writes message n of count to path and returns its size.
func writeMessage(path string, n, count int, size int64, date time.Time, rng *rand.Rand) (int64, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return 0, err
	}
	cw := &countWriter{w: f}
	w := bufio.NewWriterSize(cw, 1<<20)
	fmt.Fprintf(w, "Return-Path: <sender%d@example.org>\nFrom: Sender %d <sender%d@example.org>\nTo: alice@example.org\n", n%50, n%50, n%50)
	fmt.Fprintf(w, "Subject: benchmark message %d of %d\nDate: %s\nMessage-ID: <bench.%d@example.org>\n", n+1, count, date.Format(time.RFC1123Z), n)
	w.WriteString("MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b0undary\"\n\n--b0undary\nContent-Type: text/plain; charset=utf-8\n\n")
	for l := range 20 {
		fmt.Fprintf(w, "Line %d of message %d: the quick brown fox jumps over the lazy dog, grüße aus Köln.\n", l, n)
	}
	w.WriteString("\n--b0undary\nContent-Type: application/octet-stream; name=\"data.bin\"\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; filename=\"data.bin\"\n\n")
	// 57 random octets make one 76-character base64 line and its LF.
	used := cw.n + int64(w.Buffered()) + int64(len("--b0undary--\n"))
	lines := max(1, (size-used)/77)
	var raw [57]byte
	var enc [77]byte
	enc[76] = '\n'
	for range lines {
		for i := 0; i < 56; i += 8 {
			binary.LittleEndian.PutUint64(raw[i:], rng.Uint64())
		}
		raw[56] = byte(rng.Uint32())
		base64.StdEncoding.Encode(enc[:76], raw[:])
		w.Write(enc[:])
	}
	w.WriteString("--b0undary--\n")
	if err := w.Flush(); err != nil {
		f.Close()
		return 0, err
	}
	return cw.n, f.Close()
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Command benchtool is the Go side of bench/run, imapsh's benchmark: it
// fills a Maildir folder with generated mail, serves many short FETCH
// responses, times imapsh --demo to its first prompt in a pseudo-terminal,
// and summarises the measurements. It is not installed with imapsh.
//
// Usage:
//
//	benchtool fill -dir DIR -count N -size BYTES [-uid U -gid G]
//	benchtool lines -n N
//	benchtool prompt -runs N -- COMMAND ARGS...
//	benchtool count [-tail FILE]
//	benchtool report RESULTS
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "fill":
		err = fill(os.Args[2:])
	case "lines":
		err = lines(os.Args[2:])
	case "prompt":
		err = prompt(os.Args[2:])
	case "count":
		err = count(os.Args[2:], os.Stdin)
	case "report":
		err = report(os.Args[2:], os.Stdout)
	case "copy":
		err = copyConn(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "benchtool %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, `usage:
  benchtool fill -dir DIR -count N -size BYTES [-uid U -gid G]   write N messages of about BYTES into the Maildir folder DIR
  benchtool lines -n N                                            serve N "* i FETCH (UID .. FLAGS ..)" lines per FETCH on 127.0.0.1 (prints the address)
  benchtool prompt -runs N -- COMMAND ARGS...                      time COMMAND in a pseudo-terminal until its first prompt
  benchtool count [-tail FILE]                                     count the octets of stdin (and keep its last 300)
  benchtool report RESULTS                                         summarise bench/run's measurements
  benchtool copy HOST:PORT                                         send stdin, copy the answer to stdout (the Go floor: no parsing)`)
	os.Exit(2)
}

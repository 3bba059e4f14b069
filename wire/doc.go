// Package wire is the byte and grammar layer of imapsh: it turns a
// connection into IMAP commands and responses and knows nothing of
// terminals. It imports only the standard library.
//
// It implements, from RFC 9051 (IMAP4rev2) and, where the older grammar
// differs, RFC 3501 (IMAP4rev1):
//
//   - Connecting: implicit TLS (RFC 8314 section 3.3), STARTTLS with the
//     bytes injected before the handshake discarded (RFC 9051 section
//     6.2.1), plaintext. See Dial and Conn.UpgradeTLS.
//   - The command side: lines of text ending in CRLF (section 2.2.1), and
//     literal announcements: synchronizing {N}, non-synchronizing {N+}
//     (RFC 7888) and literal8 ~{N} (RFC 3516); astrings (section 4.3). See
//     Writer, LiteralHeader and Quote.
//   - The response side: framing into lines and the literals they announce,
//     streamed (sections 2.2.2 and 4.3), with the FETCH data item each
//     literal belongs to (section 7.5.2). See Reader and Fragment.
//   - The head of a response: tagged, untagged or continuation request
//     (sections 2.2.2 and 7.6), status responses and their codes (section
//     7.1). See ParseHead and Head.
//   - A tokenizer of the response syntax of section 9: atoms, numbers,
//     quoted strings, literals, lists, response codes. See Parse.
//   - Numbers: number and nz-number are 32-bit (section 9); a larger one is
//     refused with ErrNumberRange, never truncated. Sequence sets
//     (section 9, sequence-set) and their expansion. See ParseSeqSet.
//   - Response data: FETCH (section 7.5.2) with ENVELOPE and its RFC 2047
//     encoded words, SEARCH (RFC 3501 section 7.2.5) and ESEARCH (RFC 9051
//     section 7.3.4, RFC 4731). See ParseFetch, ParseEnvelope and
//     ParseSearch.
//   - The command names of section 6 and common extensions, for
//     completion. See Commands and IsCommand.
package wire

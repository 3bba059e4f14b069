package imaptest

// PoisonMode chooses how the Exchange answers a FETCH that names the
// poison message (INBOX 1045, UID 15541; also any copy of it). Set it in
// ExchangeConfig.Poison. Every mode is a PoisonItems table; Items returns
// it, so a test can start from a mode and change one entry:
//
//	items := imaptest.PoisonSeed.Items()
//	items.InternalDate = imaptest.ItemDropFetch
//	x := imaptest.NewExchange(t, imaptest.ExchangeConfig{Poison: imaptest.PoisonCustom, PoisonItems: items})
//
// Whatever the mode, every other message is served in full, and a FETCH of
// a set that includes the poison message still answers the other messages.
type PoisonMode int

const (
	// PoisonDefault (the zero value) stands for PoisonSeed: by default the
	// Exchange behaves as the seed's transcript shows. With
	// ExchangeConfig.PoisonSubstitute it stands for PoisonSubstituteBody.
	PoisonDefault PoisonMode = iota

	// PoisonWithholdBody (the Exchange's default before PoisonSeed
	// existed) is kinder than the real server: UID, FLAGS,
	// RFC822.SIZE (PoisonSize), INTERNALDATE, ENVELOPE, BODY and
	// BODYSTRUCTURE are delivered; a request that includes any body data
	// (BODY[...], BODY.PEEK[...] with any section, HEADER.FIELDS included,
	// partial or not, RFC822, RFC822.HEADER, RFC822.TEXT, BINARY...) gets no
	// FETCH response for the poison message at all, then the tagged OK.
	PoisonWithholdBody

	// PoisonSubstituteBody is PoisonWithholdBody, except that body data is
	// taken from the notice Exchange serves instead of the message ("From:
	// Microsoft Exchange Server 2010", "Subject: Retrieval using the IMAP4
	// protocol failed for the following message: 15541" ...), while
	// RFC822.SIZE still says PoisonSize. ExchangeConfig.PoisonSubstitute
	// true selects it too.
	PoisonSubstituteBody

	// PoisonSeed behaves as the seed transcript shows. The whole FETCH
	// response for the poison message is dropped (only the tagged "OK FETCH
	// completed." comes, not even UID or FLAGS) whenever the request
	// includes RFC822.SIZE, ENVELOPE or body data other than
	// BODY[HEADER.FIELDS (...)]: BODY[], BODY[TEXT], BODY[HEADER],
	// BODY[HEADER.FIELDS.NOT (...)], BODY[1], their .PEEK and <partial>
	// forms, RFC822, RFC822.HEADER, RFC822.TEXT, BINARY[...],
	// BINARY.PEEK[...] and BINARY.SIZE[...]. BODY and BODYSTRUCTURE are
	// answered with PoisonStructure (BODY adds "FLAGS ()", as for every
	// message of this server); UID, FLAGS and INTERNALDATE are answered;
	// BODY[HEADER.FIELDS (...)] (peek or not, partial or not) is answered
	// from the substitute notice. So, replayed exactly:
	//
	//	a02 fetch 1045 (uid rfc822.size flags body.peek[header.fields (date to cc from subject x-priority content-type)])
	//	a02 OK FETCH completed.
	//	a03 fetch 1045 (body)
	//	* 1045 FETCH (BODY ("text" "plain" ("charset" "iso-8859-1") NIL NIL "quoted-printable" 1 1) FLAGS ())
	//	a03 OK FETCH completed.
	//	a04 fetch 1045 (body.peek[header.fields (from subject)])
	//	* 1045 FETCH (BODY[HEADER.FIELDS (from subject)] {127}
	//	From: Microsoft Exchange Server 2010
	//	Subject: Retrieval using the IMAP4 protocol failed for the following message:
	//	 15541
	//
	//	)
	//	a04 OK FETCH completed.
	//
	// The seed does not show INTERNALDATE; it is answered because it is a
	// property of the store that Exchange keeps apart from the MIME
	// conversion that fails, and the issue names only RFC822.SIZE, ENVELOPE
	// and body sections. Make it ItemDropFetch in a PoisonCustom table to
	// test the other guess.
	PoisonSeed

	// PoisonCustom takes the behaviour of each item from
	// ExchangeConfig.PoisonItems.
	PoisonCustom
)

// ItemBehavior is how the poison message answers one fetch item; see
// PoisonItems. When a request names items with different behaviours, the
// first of these that applies decides the whole response for the poison
// message: ItemCloseMidLiteral, ItemBAD, ItemNO, ItemDropFetch; otherwise
// each item is rendered by its own behaviour.
type ItemBehavior int

const (
	// ItemDeliver (the zero value) answers the item as for any message:
	// the message's UID, FLAGS, RFC822.SIZE (PoisonSize, which is also the
	// length of its stored text, see Exchange.Message), INTERNALDATE,
	// ENVELOPE, PoisonStructure for BODY and BODYSTRUCTURE, and the stored
	// text for body data.
	ItemDeliver ItemBehavior = iota

	// ItemDropFetch drops the whole FETCH response for the poison message:
	// the server sends no "* N FETCH" line for it, then the tagged
	// "OK FETCH completed.". Requested alone, the item is answered by the
	// tagged OK only.
	ItemDropFetch

	// ItemOmit leaves this item out of the FETCH response and answers the
	// other items. UID FETCH still adds UID (unless UID itself was
	// requested and is omitted), BODY still adds FLAGS; when nothing is
	// left there is no FETCH line.
	ItemOmit

	// ItemNIL answers "NAME NIL" (for ENVELOPE, RFC822.SIZE, UID or FLAGS
	// that is a protocol violation, on purpose).
	ItemNIL

	// ItemNO answers no FETCH line for the poison message (the other
	// messages of the set are answered) and ends the command with
	// "tag NO " + PoisonItems.NoText.
	ItemNO

	// ItemBAD answers no FETCH line at all, for no message of the set, and
	// ends the command with "tag BAD " + PoisonItems.BadText.
	ItemBAD

	// ItemSubstitute answers from the notice Exchange serves in place of a
	// message it cannot convert (see the example under PoisonSeed): body
	// data is cut from that notice, RFC822.SIZE is its length, ENVELOPE,
	// BODY and BODYSTRUCTURE describe it. For UID, FLAGS and INTERNALDATE
	// it is ItemDeliver.
	ItemSubstitute

	// ItemShort answers a well-framed literal "{N}" with exactly N octets
	// that hold only the first half of the data, so N is smaller than the
	// RFC822.SIZE the server reports (PoisonSize). For items without a
	// literal it is ItemDeliver.
	ItemShort

	// ItemCloseMidLiteral sends the FETCH response up to this item; for an
	// item with a literal it announces the full "{N}" and sends only the
	// first half of the N octets; then it closes the connection (no
	// tagged response). For an item without a literal the line is cut just
	// before the item.
	ItemCloseMidLiteral
)

// PoisonItems is the per-item behaviour table of the poison message, used
// when ExchangeConfig.Poison is PoisonCustom. The zero value delivers
// everything. Each field covers the items named in its comment, with and
// without .PEEK and <partial>.
type PoisonItems struct {
	UID           ItemBehavior // UID (when requested; see ItemOmit for UID FETCH)
	Flags         ItemBehavior // FLAGS
	Size          ItemBehavior // RFC822.SIZE
	InternalDate  ItemBehavior // INTERNALDATE
	Envelope      ItemBehavior // ENVELOPE
	BodyStructure ItemBehavior // BODYSTRUCTURE
	Body          ItemBehavior // BODY without a section (the structure)
	HeaderFields  ItemBehavior // BODY[HEADER.FIELDS (...)]
	Header        ItemBehavior // BODY[HEADER], BODY[HEADER.FIELDS.NOT (...)], RFC822.HEADER
	Text          ItemBehavior // BODY[TEXT], BODY[1], RFC822.TEXT
	Full          ItemBehavior // BODY[], RFC822
	Binary        ItemBehavior // BINARY[...], BINARY.PEEK[...], BINARY.SIZE[...] (parsed only with BINARY in Capabilities)

	NoText  string // text after "tag NO " for ItemNO; default DefaultPoisonNoText
	BadText string // text after "tag BAD " for ItemBAD; default "Command Argument Error. 11"
}

// DefaultPoisonNoText is the text of the tagged NO of ItemNO unless
// PoisonItems.NoText says otherwise.
const DefaultPoisonNoText = "Retrieval using the IMAP4 protocol failed for the following message: 15541"

// Items returns the behaviour table of mode m. For PoisonCustom it returns
// the zero table (everything delivered), since the table is the caller's.
func (m PoisonMode) Items() PoisonItems {
	switch m {
	case PoisonWithholdBody:
		return PoisonItems{HeaderFields: ItemDropFetch, Header: ItemDropFetch, Text: ItemDropFetch,
			Full: ItemDropFetch, Binary: ItemDropFetch}
	case PoisonSubstituteBody:
		return PoisonItems{HeaderFields: ItemSubstitute, Header: ItemSubstitute, Text: ItemSubstitute,
			Full: ItemSubstitute, Binary: ItemSubstitute}
	case PoisonSeed, PoisonDefault:
		return PoisonItems{Size: ItemDropFetch, Envelope: ItemDropFetch, HeaderFields: ItemSubstitute,
			Header: ItemDropFetch, Text: ItemDropFetch, Full: ItemDropFetch, Binary: ItemDropFetch}
	}
	return PoisonItems{}
}

// poisonItems returns the table the configuration selects.
func (cfg *ExchangeConfig) poisonItems() PoisonItems {
	var p PoisonItems
	switch {
	case cfg.Poison == PoisonCustom:
		p = cfg.PoisonItems
	case cfg.Poison == PoisonDefault && cfg.PoisonSubstitute:
		p = PoisonSubstituteBody.Items()
	default:
		p = cfg.Poison.Items()
	}
	if p.NoText == "" {
		p.NoText = DefaultPoisonNoText
	}
	if p.BadText == "" {
		p.BadText = "Command Argument Error. 11"
	}
	return p
}

// behavior returns the table entry for one fetch item.
func (p *PoisonItems) behavior(it fetchItem) ItemBehavior {
	switch it.kind {
	case itUID:
		return p.UID
	case itFlags:
		return p.Flags
	case itSize:
		return p.Size
	case itDate:
		return p.InternalDate
	case itEnvelope:
		return p.Envelope
	case itBodyStructure:
		return p.BodyStructure
	case itBody:
		return p.Body
	case itRFC822:
		return p.Full
	case itRFC822Header:
		return p.Header
	case itRFC822Text:
		return p.Text
	case itBinary, itBinarySize:
		return p.Binary
	}
	switch it.section {
	case "":
		return p.Full
	case "HEADER.FIELDS":
		return p.HeaderFields
	case "HEADER", "HEADER.FIELDS.NOT":
		return p.Header
	}
	return p.Text
}

#include "textflag.h"

// PLAIN_CONSTANTS loads the bounds of a plain octet into every lane of X1
// (0x1f), X2 (0x7f) and X3 (the backslash); it uses DX.
#define PLAIN_CONSTANTS \
	MOVQ $0x1f1f1f1f1f1f1f1f, DX \
	MOVQ DX, X1 \
	PUNPCKLQDQ X1, X1 \
	MOVQ $0x7f7f7f7f7f7f7f7f, DX \
	MOVQ DX, X2 \
	PUNPCKLQDQ X2, X2 \
	MOVQ $0x5c5c5c5c5c5c5c5c, DX \
	MOVQ DX, X3 \
	PUNPCKLQDQ X3, X3

// func plainRunSSE2(b []byte) int
//
// For each block of 16 octets: plain = (o > 0x1f) & (0x7f > o) & (o != '\'),
// the comparisons signed, so that octets from 0x80 up (negative) fail the
// first; the first octet whose mask bit is clear is the answer.
TEXT ·plainRunSSE2(SB), NOSPLIT, $0-32
	MOVQ b_base+0(FP), SI
	MOVQ b_len+8(FP), BX
	XORQ AX, AX
	PLAIN_CONSTANTS

loop:
	CMPQ AX, BX
	JAE  done
	MOVOU (SI)(AX*1), X0
	MOVO X0, X4
	PCMPGTB X1, X4     // X4 = o > 0x1f
	MOVO X2, X5
	PCMPGTB X0, X5     // X5 = 0x7f > o
	PAND X5, X4
	MOVO X0, X6
	PCMPEQB X3, X6     // X6 = o == '\'
	PANDN X4, X6       // X6 = !backslash & in range
	PMOVMSKB X6, DX
	CMPL DX, $0xffff
	JNE  found
	ADDQ $16, AX
	JMP  loop

found:
	NOTL DX
	BSFL DX, DX
	ADDQ DX, AX

done:
	MOVQ AX, ret+24(FP)
	RET

// func plainLinesSSE2(dst, src []byte) (nd, ns int)
//
// plainLines for amd64: each line of src made of plain octets (as
// plainRunSSE2 judges them) and ended by CRLF is written to dst as
// "S: " + the line + LF, 16 octets a step; it stops before the first line
// that is not such a line, that is not whole in src, whose line end lies
// in src's last 15 octets, or that does not fit in dst. It returns the
// octets written and read.
TEXT ·plainLinesSSE2(SB), NOSPLIT, $0-64
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), R8
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), R9
	XORQ R10, R10 // nd
	XORQ R11, R11 // ns
	PLAIN_CONSTANTS

line:
	MOVQ R11, AX // i: where the scan of this line is

scan:
	LEAQ 16(AX), CX
	CMPQ CX, R9
	JA   done // fewer than 16 octets left: the caller goes on
	MOVOU (SI)(AX*1), X0
	MOVO X0, X4
	PCMPGTB X1, X4 // o > 0x1f
	MOVO X2, X5
	PCMPGTB X0, X5 // 0x7f > o
	PAND X5, X4
	MOVO X0, X6
	PCMPEQB X3, X6 // o == '\'
	PANDN X4, X6   // plain
	PMOVMSKB X6, DX
	CMPL DX, $0xffff
	JNE  found
	MOVQ CX, AX
	JMP  scan

found:
	NOTL DX
	BSFL DX, DX
	ADDQ DX, AX // j: the first octet that is not plain
	LEAQ 1(AX), CX
	CMPQ CX, R9
	JAE  done
	MOVBLZX (SI)(AX*1), DX
	CMPL DX, $13
	JNE  done
	MOVBLZX (SI)(CX*1), DX
	CMPL DX, $10
	JNE  done
	MOVQ AX, BX
	SUBQ R11, BX // n: the line's length
	LEAQ 4(R10)(BX*1), CX
	CMPQ CX, R8
	JA   done // dst is full
	MOVB $0x53, (DI)(R10*1) // "S: "
	MOVB $0x3a, 1(DI)(R10*1)
	MOVB $0x20, 2(DI)(R10*1)
	LEAQ (SI)(R11*1), R12  // from
	LEAQ 3(DI)(R10*1), R13 // to
	XORQ CX, CX

copy16:
	LEAQ 16(CX), DX
	CMPQ DX, BX
	JA   tail
	MOVOU (R12)(CX*1), X0
	MOVOU X0, (R13)(CX*1)
	MOVQ DX, CX
	JMP  copy16

tail:
	CMPQ CX, BX
	JAE  copied
	CMPQ BX, $16
	JB   bytes
	MOVOU -16(R12)(BX*1), X0 // the last 16 octets, over some already copied
	MOVOU X0, -16(R13)(BX*1)
	JMP  copied

bytes:
	MOVBLZX (R12)(CX*1), DX
	MOVB DX, (R13)(CX*1)
	INCQ CX
	CMPQ CX, BX
	JB   bytes

copied:
	MOVB $10, (R13)(BX*1) // LF
	LEAQ 4(R10)(BX*1), R10
	LEAQ 2(AX), R11
	JMP  line

done:
	MOVQ R10, nd+48(FP)
	MOVQ R11, ns+56(FP)
	RET

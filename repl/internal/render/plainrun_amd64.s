#include "textflag.h"

// func plainRunSSE2(b []byte) int
//
// For each block of 16 octets: plain = (o > 0x1f) & (0x7f > o) & (o != '\'),
// the comparisons signed, so that octets from 0x80 up (negative) fail the
// first; the first octet whose mask bit is clear is the answer.
TEXT ·plainRunSSE2(SB), NOSPLIT, $0-32
	MOVQ b_base+0(FP), SI
	MOVQ b_len+8(FP), BX
	XORQ AX, AX
	MOVQ $0x1f1f1f1f1f1f1f1f, DX
	MOVQ DX, X1
	PUNPCKLQDQ X1, X1
	MOVQ $0x7f7f7f7f7f7f7f7f, DX
	MOVQ DX, X2
	PUNPCKLQDQ X2, X2
	MOVQ $0x5c5c5c5c5c5c5c5c, DX
	MOVQ DX, X3
	PUNPCKLQDQ X3, X3

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

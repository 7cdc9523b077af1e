#include "textflag.h"

// func distBlock4AVX2(x0, x1, x2, x3, ct, cn *float64, d, kp int, out *float64)
//
// For r in 0..3 and j in 0..kp-1 (kp a multiple of 8):
//   out[r*kp+j] = cn[j] + Σ_t x_r[t] * ct[t*kp+j]
// ct holds −2·centroidᵀ (d rows of kp), cn the squared centroid norms, so
// out is ||x_r − c_j||² − ||x_r||². Four rows share every load of ct.
TEXT ·distBlock4AVX2(SB), NOSPLIT, $0-72
	MOVQ x0+0(FP), R8
	MOVQ x1+8(FP), R9
	MOVQ x2+16(FP), R10
	MOVQ x3+24(FP), R11
	MOVQ ct+32(FP), SI
	MOVQ cn+40(FP), DX
	MOVQ d+48(FP), CX
	MOVQ kp+56(FP), R12
	MOVQ out+64(FP), DI
	SHLQ $3, R12 // kp in bytes: row stride of ct and out
	SHLQ $3, CX  // d in bytes
	XORQ AX, AX  // byte offset of the centroid block j

jloop:
	CMPQ AX, R12
	JGE  done
	VMOVUPD (DX)(AX*1), Y0
	VMOVUPD 32(DX)(AX*1), Y1
	VMOVAPD Y0, Y2
	VMOVAPD Y1, Y3
	VMOVAPD Y0, Y4
	VMOVAPD Y1, Y5
	VMOVAPD Y0, Y6
	VMOVAPD Y1, Y7
	LEAQ    (SI)(AX*1), R13
	XORQ    BX, BX

tloop:
	VMOVUPD      (R13), Y8
	VMOVUPD      32(R13), Y9
	VBROADCASTSD (R8)(BX*1), Y10
	VFMADD231PD  Y8, Y10, Y0
	VFMADD231PD  Y9, Y10, Y1
	VBROADCASTSD (R9)(BX*1), Y11
	VFMADD231PD  Y8, Y11, Y2
	VFMADD231PD  Y9, Y11, Y3
	VBROADCASTSD (R10)(BX*1), Y12
	VFMADD231PD  Y8, Y12, Y4
	VFMADD231PD  Y9, Y12, Y5
	VBROADCASTSD (R11)(BX*1), Y13
	VFMADD231PD  Y8, Y13, Y6
	VFMADD231PD  Y9, Y13, Y7
	ADDQ         R12, R13
	ADDQ         $8, BX
	CMPQ         BX, CX
	JLT          tloop

	LEAQ    (DI)(AX*1), R13
	VMOVUPD Y0, (R13)
	VMOVUPD Y1, 32(R13)
	ADDQ    R12, R13
	VMOVUPD Y2, (R13)
	VMOVUPD Y3, 32(R13)
	ADDQ    R12, R13
	VMOVUPD Y4, (R13)
	VMOVUPD Y5, 32(R13)
	ADDQ    R12, R13
	VMOVUPD Y6, (R13)
	VMOVUPD Y7, 32(R13)
	ADDQ    $64, AX
	JMP     jloop

done:
	VZEROUPPER
	RET

// func addToAVX2(dst, src *float64, n int)
//
// dst[i] += src[i] for i in 0..n-1.
TEXT ·addToAVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	XORQ AX, AX
	MOVQ CX, BX
	ANDQ $-8, BX

vloop:
	CMPQ    AX, BX
	JGE     tail
	VMOVUPD (DI)(AX*8), Y0
	VMOVUPD 32(DI)(AX*8), Y1
	VADDPD  (SI)(AX*8), Y0, Y0
	VADDPD  32(SI)(AX*8), Y1, Y1
	VMOVUPD Y0, (DI)(AX*8)
	VMOVUPD Y1, 32(DI)(AX*8)
	ADDQ    $8, AX
	JMP     vloop

tail:
	CMPQ  AX, CX
	JGE   end
	MOVSD (DI)(AX*8), X0
	ADDSD (SI)(AX*8), X0
	MOVSD X0, (DI)(AX*8)
	INCQ  AX
	JMP   tail

end:
	VZEROUPPER
	RET

// func argmin4AVX2(out *float64, kp int, idx *int)
//
// For each of the 4 rows of out (kp values each, kp a multiple of 8 and at
// most 64), idx[r] is the index of the first smallest value. The position
// is found without data-dependent branches: the equality masks of all
// vectors are packed into one 64-bit word and its lowest set bit taken.
TEXT ·argmin4AVX2(SB), NOSPLIT, $0-24
	MOVQ out+0(FP), R8
	MOVQ kp+8(FP), R12
	MOVQ idx+16(FP), DI
	SHLQ $3, R12
	MOVQ $4, R9

row:
	VMOVUPD (R8), Y0
	MOVQ    $32, AX

minloop:
	CMPQ   AX, R12
	JGE    hmin
	VMINPD (R8)(AX*1), Y0, Y0
	ADDQ   $32, AX
	JMP    minloop

hmin:
	VEXTRACTF128 $1, Y0, X1
	VMINPD       X1, X0, X0
	VPERMILPD    $1, X0, X1
	VMINPD       X1, X0, X0
	VBROADCASTSD X0, Y2
	XORQ         AX, AX
	XORQ         CX, CX
	XORQ         DX, DX

find:
	VCMPPD    $0, (R8)(AX*1), Y2, Y3
	VMOVMSKPD Y3, BX
	SHLQ      CX, BX
	ORQ       BX, DX
	ADDQ      $4, CX
	ADDQ      $32, AX
	CMPQ      AX, R12
	JLT       find
	BSFQ      DX, AX
	MOVQ      AX, (DI)
	ADDQ      $8, DI
	ADDQ      R12, R8
	DECQ      R9
	JNZ       row
	VZEROUPPER
	RET

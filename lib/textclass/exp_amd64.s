#include "textflag.h"

// Constants of expShiftAVX2, each repeated in 4 lanes: the clamp −708,
// log2(e), 1.5·2^52 (adding it rounds to an integer), ln 2 split in a
// 33-bit head and a tail, and the Taylor coefficients 1/i! for i = 0…13.
DATA expc<>+0(SB)/8, $0xc086200000000000
DATA expc<>+8(SB)/8, $0xc086200000000000
DATA expc<>+16(SB)/8, $0xc086200000000000
DATA expc<>+24(SB)/8, $0xc086200000000000
DATA expc<>+32(SB)/8, $0x3ff71547652b82fe
DATA expc<>+40(SB)/8, $0x3ff71547652b82fe
DATA expc<>+48(SB)/8, $0x3ff71547652b82fe
DATA expc<>+56(SB)/8, $0x3ff71547652b82fe
DATA expc<>+64(SB)/8, $0x4338000000000000
DATA expc<>+72(SB)/8, $0x4338000000000000
DATA expc<>+80(SB)/8, $0x4338000000000000
DATA expc<>+88(SB)/8, $0x4338000000000000
DATA expc<>+96(SB)/8, $0x3fe62e42fee00000
DATA expc<>+104(SB)/8, $0x3fe62e42fee00000
DATA expc<>+112(SB)/8, $0x3fe62e42fee00000
DATA expc<>+120(SB)/8, $0x3fe62e42fee00000
DATA expc<>+128(SB)/8, $0x3dea39ef35793c76
DATA expc<>+136(SB)/8, $0x3dea39ef35793c76
DATA expc<>+144(SB)/8, $0x3dea39ef35793c76
DATA expc<>+152(SB)/8, $0x3dea39ef35793c76
DATA expc<>+160(SB)/8, $0x3ff0000000000000
DATA expc<>+168(SB)/8, $0x3ff0000000000000
DATA expc<>+176(SB)/8, $0x3ff0000000000000
DATA expc<>+184(SB)/8, $0x3ff0000000000000
DATA expc<>+192(SB)/8, $0x3ff0000000000000
DATA expc<>+200(SB)/8, $0x3ff0000000000000
DATA expc<>+208(SB)/8, $0x3ff0000000000000
DATA expc<>+216(SB)/8, $0x3ff0000000000000
DATA expc<>+224(SB)/8, $0x3fe0000000000000
DATA expc<>+232(SB)/8, $0x3fe0000000000000
DATA expc<>+240(SB)/8, $0x3fe0000000000000
DATA expc<>+248(SB)/8, $0x3fe0000000000000
DATA expc<>+256(SB)/8, $0x3fc5555555555555
DATA expc<>+264(SB)/8, $0x3fc5555555555555
DATA expc<>+272(SB)/8, $0x3fc5555555555555
DATA expc<>+280(SB)/8, $0x3fc5555555555555
DATA expc<>+288(SB)/8, $0x3fa5555555555555
DATA expc<>+296(SB)/8, $0x3fa5555555555555
DATA expc<>+304(SB)/8, $0x3fa5555555555555
DATA expc<>+312(SB)/8, $0x3fa5555555555555
DATA expc<>+320(SB)/8, $0x3f81111111111111
DATA expc<>+328(SB)/8, $0x3f81111111111111
DATA expc<>+336(SB)/8, $0x3f81111111111111
DATA expc<>+344(SB)/8, $0x3f81111111111111
DATA expc<>+352(SB)/8, $0x3f56c16c16c16c17
DATA expc<>+360(SB)/8, $0x3f56c16c16c16c17
DATA expc<>+368(SB)/8, $0x3f56c16c16c16c17
DATA expc<>+376(SB)/8, $0x3f56c16c16c16c17
DATA expc<>+384(SB)/8, $0x3f2a01a01a01a01a
DATA expc<>+392(SB)/8, $0x3f2a01a01a01a01a
DATA expc<>+400(SB)/8, $0x3f2a01a01a01a01a
DATA expc<>+408(SB)/8, $0x3f2a01a01a01a01a
DATA expc<>+416(SB)/8, $0x3efa01a01a01a01a
DATA expc<>+424(SB)/8, $0x3efa01a01a01a01a
DATA expc<>+432(SB)/8, $0x3efa01a01a01a01a
DATA expc<>+440(SB)/8, $0x3efa01a01a01a01a
DATA expc<>+448(SB)/8, $0x3ec71de3a556c734
DATA expc<>+456(SB)/8, $0x3ec71de3a556c734
DATA expc<>+464(SB)/8, $0x3ec71de3a556c734
DATA expc<>+472(SB)/8, $0x3ec71de3a556c734
DATA expc<>+480(SB)/8, $0x3e927e4fb7789f5c
DATA expc<>+488(SB)/8, $0x3e927e4fb7789f5c
DATA expc<>+496(SB)/8, $0x3e927e4fb7789f5c
DATA expc<>+504(SB)/8, $0x3e927e4fb7789f5c
DATA expc<>+512(SB)/8, $0x3e5ae64567f544e4
DATA expc<>+520(SB)/8, $0x3e5ae64567f544e4
DATA expc<>+528(SB)/8, $0x3e5ae64567f544e4
DATA expc<>+536(SB)/8, $0x3e5ae64567f544e4
DATA expc<>+544(SB)/8, $0x3e21eed8eff8d898
DATA expc<>+552(SB)/8, $0x3e21eed8eff8d898
DATA expc<>+560(SB)/8, $0x3e21eed8eff8d898
DATA expc<>+568(SB)/8, $0x3e21eed8eff8d898
DATA expc<>+576(SB)/8, $0x3de6124613a86d09
DATA expc<>+584(SB)/8, $0x3de6124613a86d09
DATA expc<>+592(SB)/8, $0x3de6124613a86d09
DATA expc<>+600(SB)/8, $0x3de6124613a86d09
GLOBL expc<>(SB), RODATA|NOPTR, $608

#define C(name) expc<>+name(SB)

// func expShiftAVX2(z *float64, n int, m float64) float64
//
// z[i] = exp(z[i] − m) for i < n (n a positive multiple of 4; z[i] ≤ m and
// not NaN), returning Σ z[i]. As expNonPos: x = k·ln 2 + r, e^r by the
// degree-13 Taylor polynomial (Estrin's scheme, with FMA), 2^k added to
// the exponent; x is clamped at −708, so smaller arguments give e^−708.
TEXT ·expShiftAVX2(SB), NOSPLIT, $0-32
	MOVQ         z+0(FP), DI
	MOVQ         n+8(FP), CX
	VBROADCASTSD m+16(FP), Y15
	VXORPD       Y14, Y14, Y14

loop:
	VMOVUPD      (DI), Y0
	VSUBPD       Y15, Y0, Y0
	VMAXPD       C(0), Y0, Y0  // clamp
	VMULPD       C(32), Y0, Y1  // t = x·log2(e)
	VADDPD       C(64), Y1, Y2  // k + magic: its low bits hold k
	VSUBPD       C(64), Y2, Y1  // k = round(t)
	VFNMADD231PD C(96), Y1, Y0  // r = x − k·ln2hi
	VFNMADD231PD C(128), Y1, Y0  //   − k·ln2lo
	VMULPD       Y0, Y0, Y3     // r²
	VMULPD       Y3, Y3, Y4     // r⁴
	VMOVUPD      C(192), Y6
	VFMADD213PD  C(160), Y0, Y6  // 1 + r
	VMOVUPD      C(256), Y5
	VFMADD213PD  C(224), Y0, Y5  // 1/2 + r/6
	VFMADD231PD  Y5, Y3, Y6     // q0
	VMOVUPD      C(320), Y5
	VFMADD213PD  C(288), Y0, Y5  // 1/24 + r/120
	VMOVUPD      C(384), Y7
	VFMADD213PD  C(352), Y0, Y7  // 1/720 + r/5040
	VFMADD231PD  Y7, Y3, Y5     // q1
	VMOVUPD      C(448), Y7
	VFMADD213PD  C(416), Y0, Y7  // 1/8! + r/9!
	VMOVUPD      C(512), Y8
	VFMADD213PD  C(480), Y0, Y8  // 1/10! + r/11!
	VFMADD231PD  Y8, Y3, Y7     // q2
	VMOVUPD      C(576), Y8
	VFMADD213PD  C(544), Y0, Y8  // q3 = 1/12! + r/13!
	VFMADD231PD  Y8, Y4, Y7     // q2 + r⁴·q3
	VMULPD       Y4, Y4, Y9     // r⁸
	VFMADD231PD  Y5, Y4, Y6     // q0 + r⁴·q1
	VFMADD231PD  Y7, Y9, Y6     // e^r
	VPSLLQ       $52, Y2, Y2
	VPADDQ       Y2, Y6, Y6     // · 2^k
	VMOVUPD      Y6, (DI)
	VADDPD       Y6, Y14, Y14
	ADDQ         $32, DI
	SUBQ         $4, CX
	JNZ          loop

	VEXTRACTF128 $1, Y14, X0
	VADDPD       X0, X14, X0
	VPERMILPD    $1, X0, X1
	VADDSD       X1, X0, X0
	MOVSD        X0, ret+24(FP)
	VZEROUPPER
	RET

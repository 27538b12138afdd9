/*
 * adpcm.c - PassGym embedded benchmark.
 *
 * Synthesises a deterministic 16-bit waveform (two tones computed with an
 * integer sine approximation, an amplitude envelope and pseudo-random noise),
 * encodes it to 4-bit IMA ADPCM codes packed two per byte, decodes it again
 * and measures the reconstruction error.  Integer arithmetic only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

#define NUM_SAMPLES 1000000
#define BLOCK_SAMPLES 1017

typedef struct {
    int predicted;  /* last predicted sample value */
    int index;      /* index into the step size table */
} AdpcmState;

static const int index_table[16] = {
    -1, -1, -1, -1, 2, 4, 6, 8,
    -1, -1, -1, -1, 2, 4, 6, 8};

static const int step_table[89] = {
    7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 21, 23, 25, 28, 31, 34, 37, 41,
    45, 50, 55, 60, 66, 73, 80, 88, 97, 107, 118, 130, 143, 157, 173, 190, 209,
    230, 253, 279, 307, 337, 371, 408, 449, 494, 544, 598, 658, 724, 796, 876,
    963, 1060, 1166, 1282, 1411, 1552, 1707, 1878, 2066, 2272, 2499, 2749,
    3024, 3327, 3660, 4026, 4428, 4871, 5358, 5894, 6484, 7132, 7845, 8630,
    9493, 10442, 11487, 12635, 13899, 15289, 16818, 18500, 20350, 22385,
    24623, 27086, 29794, 32767};

static uint32_t noise_state = 0x6D2B79F5u;

static int noise(void)
{
    noise_state ^= noise_state << 13;
    noise_state ^= noise_state >> 17;
    noise_state ^= noise_state << 5;
    return (int)(noise_state % 401u) - 200;
}

/* sin of an angle given in 1/64 degree units, scaled to +-16384
 * (Bhaskara I's rational approximation, evaluated in integers). */
static int isin(long phase)
{
    long long deg64 = phase % (360L * 64L);
    int negative = 0;
    long long x, p;
    if (deg64 >= 180LL * 64LL) {
        deg64 -= 180LL * 64LL;
        negative = 1;
    }
    x = deg64;                       /* 0 .. 180*64 */
    p = x * (180LL * 64LL - x);      /* x(180-x) in 1/4096 degree^2 units */
    /* 4*y / (40500 - y) with y = p/4096, times 16384 */
    p = (p * 65536LL) / (40500LL * 4096LL - p);
    return negative ? -(int)p : (int)p;
}

static int clamp16(int v)
{
    if (v > 32767)
        return 32767;
    if (v < -32768)
        return -32768;
    return v;
}

static void synthesize(int16_t *pcm, int n)
{
    long ph1 = 0, ph2 = 0;
    int i;
    for (i = 0; i < n; i++) {
        int env = (i % 20000) < 10000 ? (i % 20000) : 20000 - (i % 20000);
        int s = isin(ph1) + isin(ph2) / 2;
        s = s * (env + 2000) / 12000;
        s += noise();
        if ((i / 5000) % 7 == 3)     /* occasional loud bursts */
            s *= 2;
        pcm[i] = (int16_t)clamp16(s);
        ph1 += 64L * 440L * 360L / 8000L;   /* 440 Hz at 8 kHz */
        ph2 += 64L * 1250L * 360L / 8000L;  /* 1250 Hz at 8 kHz */
    }
}

static int encode_sample(AdpcmState *st, int sample)
{
    int step = step_table[st->index];
    int diff = sample - st->predicted;
    int code = 0, vpdiff = step >> 3;
    if (diff < 0) {
        code = 8;
        diff = -diff;
    }
    if (diff >= step) {
        code |= 4;
        diff -= step;
        vpdiff += step;
    }
    step >>= 1;
    if (diff >= step) {
        code |= 2;
        diff -= step;
        vpdiff += step;
    }
    step >>= 1;
    if (diff >= step) {
        code |= 1;
        vpdiff += step;
    }
    st->predicted = clamp16(code & 8 ? st->predicted - vpdiff
                                     : st->predicted + vpdiff);
    st->index += index_table[code];
    if (st->index < 0)
        st->index = 0;
    if (st->index > 88)
        st->index = 88;
    return code;
}

static int decode_sample(AdpcmState *st, int code)
{
    int step = step_table[st->index];
    int vpdiff = step >> 3;
    if (code & 4)
        vpdiff += step;
    if (code & 2)
        vpdiff += step >> 1;
    if (code & 1)
        vpdiff += step >> 2;
    st->predicted = clamp16(code & 8 ? st->predicted - vpdiff
                                     : st->predicted + vpdiff);
    st->index += index_table[code];
    if (st->index < 0)
        st->index = 0;
    if (st->index > 88)
        st->index = 88;
    return st->predicted;
}

/* Encode n samples into (n+1)/2 bytes, low nibble first. */
static void encode_block(AdpcmState *st, const int16_t *in, unsigned char *out,
                         int n)
{
    int i;
    for (i = 0; i < n; i++) {
        int code = encode_sample(st, in[i]);
        if (i % 2 == 0)
            out[i / 2] = (unsigned char)code;
        else
            out[i / 2] |= (unsigned char)(code << 4);
    }
}

static void decode_block(AdpcmState *st, const unsigned char *in, int16_t *out,
                         int n)
{
    int i;
    for (i = 0; i < n; i++) {
        int code = (i % 2 == 0) ? (in[i / 2] & 0xF) : (in[i / 2] >> 4);
        out[i] = (int16_t)decode_sample(st, code);
    }
}

int main(void)
{
    int16_t *pcm = malloc(NUM_SAMPLES * sizeof(int16_t));
    int16_t *dec = malloc(NUM_SAMPLES * sizeof(int16_t));
    unsigned char *packed = malloc(NUM_SAMPLES / 2 + BLOCK_SAMPLES);
    AdpcmState enc = {0, 0}, dst = {0, 0};
    long long sq_err = 0, sq_sig = 0;
    int i, max_err = 0, pos;
    uint32_t hash = 0;

    if (!pcm || !dec || !packed) {
        printf("allocation failed\n");
        return 1;
    }
    synthesize(pcm, NUM_SAMPLES);

    /* Process in blocks; each block's codes start on a byte boundary. */
    for (pos = 0; pos < NUM_SAMPLES; pos += BLOCK_SAMPLES) {
        int n = NUM_SAMPLES - pos < BLOCK_SAMPLES ? NUM_SAMPLES - pos
                                                  : BLOCK_SAMPLES;
        unsigned char *bytes = packed + pos / 2 + 1;
        encode_block(&enc, pcm + pos, bytes, n);
        decode_block(&dst, bytes, dec + pos, n);
        for (i = 0; i < (n + 1) / 2; i++)
            hash = (hash * 31u) ^ bytes[i];
    }

    for (i = 0; i < NUM_SAMPLES; i++) {
        int e = pcm[i] - dec[i];
        if (e < 0)
            e = -e;
        if (e > max_err)
            max_err = e;
        sq_err += (long long)e * e;
        sq_sig += (long long)pcm[i] * pcm[i];
    }

    printf("adpcm: samples=%d code_hash=%08x\n", NUM_SAMPLES, (unsigned)hash);
    printf("pcm[1000]=%d dec[1000]=%d pcm[123456]=%d dec[123456]=%d\n",
           pcm[1000], dec[1000], pcm[123456], dec[123456]);
    printf("max_err=%d mean_sq_err=%lld signal_to_error=%lld\n", max_err,
           sq_err / NUM_SAMPLES, sq_err > 0 ? sq_sig / sq_err : -1LL);
    free(pcm);
    free(dec);
    free(packed);
    return 0;
}

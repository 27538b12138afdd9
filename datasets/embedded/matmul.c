/*
 * matmul.c - PassGym embedded benchmark.
 *
 * Multiplies deterministically generated square matrices, both with 32-bit
 * unsigned integer elements (arithmetic modulo 2^32) and with double
 * elements, using a naive i-j-k loop nest, an i-k-j loop nest and a blocked
 * (tiled) version.  The double inputs are small multiples of 1/8, so every
 * product and partial sum is exactly representable and all loop orders give
 * bit-identical results.  Results are cross-checked and checksums printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#define N 120
#define BLOCK 16

typedef struct {
    int rows;
    int cols;
    uint32_t *u;
    double *d;
} Matrix;

static uint32_t rng_state = 0x2545F491u;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static int matrix_alloc(Matrix *m, int rows, int cols)
{
    size_t cells = (size_t)rows * (size_t)cols;
    m->rows = rows;
    m->cols = cols;
    m->u = calloc(cells, sizeof(uint32_t));
    m->d = calloc(cells, sizeof(double));
    return m->u != NULL && m->d != NULL;
}

static void matrix_free(Matrix *m)
{
    free(m->u);
    free(m->d);
}

static void matrix_fill(Matrix *m)
{
    int i;
    for (i = 0; i < m->rows * m->cols; i++) {
        uint32_t r = rng();
        m->u[i] = r;
        /* -16.0 .. +15.875 in steps of 1/8 */
        m->d[i] = ((double)(int)(r % 256u) - 128.0) / 8.0;
    }
}

static void matrix_clear(Matrix *m)
{
    size_t cells = (size_t)m->rows * (size_t)m->cols;
    memset(m->u, 0, cells * sizeof(uint32_t));
    memset(m->d, 0, cells * sizeof(double));
}

static void mul_naive(const Matrix *a, const Matrix *b, Matrix *c)
{
    int i, j, k, n = a->cols;
    for (i = 0; i < a->rows; i++) {
        for (j = 0; j < b->cols; j++) {
            uint32_t su = 0;
            double sd = 0.0;
            for (k = 0; k < n; k++) {
                su += a->u[i * n + k] * b->u[k * b->cols + j];
                sd += a->d[i * n + k] * b->d[k * b->cols + j];
            }
            c->u[i * c->cols + j] = su;
            c->d[i * c->cols + j] = sd;
        }
    }
}

static void mul_ikj(const Matrix *a, const Matrix *b, Matrix *c)
{
    int i, j, k, n = a->cols;
    matrix_clear(c);
    for (i = 0; i < a->rows; i++) {
        for (k = 0; k < n; k++) {
            uint32_t au = a->u[i * n + k];
            double ad = a->d[i * n + k];
            const uint32_t *bu = &b->u[k * b->cols];
            const double *bd = &b->d[k * b->cols];
            uint32_t *cu = &c->u[i * c->cols];
            double *cd = &c->d[i * c->cols];
            for (j = 0; j < b->cols; j++) {
                cu[j] += au * bu[j];
                cd[j] += ad * bd[j];
            }
        }
    }
}

static int min_int(int a, int b)
{
    return a < b ? a : b;
}

static void mul_blocked(const Matrix *a, const Matrix *b, Matrix *c)
{
    int ii, jj, kk, i, j, k, n = a->cols;
    matrix_clear(c);
    for (ii = 0; ii < a->rows; ii += BLOCK) {
        int imax = min_int(ii + BLOCK, a->rows);
        for (kk = 0; kk < n; kk += BLOCK) {
            int kmax = min_int(kk + BLOCK, n);
            for (jj = 0; jj < b->cols; jj += BLOCK) {
                int jmax = min_int(jj + BLOCK, b->cols);
                for (i = ii; i < imax; i++) {
                    for (k = kk; k < kmax; k++) {
                        uint32_t au = a->u[i * n + k];
                        double ad = a->d[i * n + k];
                        for (j = jj; j < jmax; j++) {
                            c->u[i * c->cols + j] += au * b->u[k * b->cols + j];
                            c->d[i * c->cols + j] += ad * b->d[k * b->cols + j];
                        }
                    }
                }
            }
        }
    }
}

static int matrix_equal(const Matrix *x, const Matrix *y)
{
    int i;
    for (i = 0; i < x->rows * x->cols; i++)
        if (x->u[i] != y->u[i] || x->d[i] != y->d[i])
            return 0;
    return 1;
}

static uint32_t checksum_u(const Matrix *m)
{
    uint32_t h = 0;
    int i;
    for (i = 0; i < m->rows * m->cols; i++)
        h = (h << 7 | h >> 25) ^ m->u[i];
    return h;
}

static double sum_d(const Matrix *m, double *trace)
{
    double s = 0.0;
    int i;
    *trace = 0.0;
    for (i = 0; i < m->rows * m->cols; i++)
        s += m->d[i] * (double)(i % 7 + 1);
    for (i = 0; i < m->rows; i++)
        *trace += m->d[i * m->cols + i];
    return s;
}

int main(void)
{
    Matrix a, b, c1, c2, c3;
    double total, trace;
    int round, errors = 0;
    uint32_t hu = 0;

    if (!matrix_alloc(&a, N, N) || !matrix_alloc(&b, N, N) ||
        !matrix_alloc(&c1, N, N) || !matrix_alloc(&c2, N, N) ||
        !matrix_alloc(&c3, N, N)) {
        printf("allocation failed\n");
        return 1;
    }

    for (round = 0; round < 3; round++) {
        matrix_fill(&a);
        matrix_fill(&b);
        mul_naive(&a, &b, &c1);
        mul_ikj(&a, &b, &c2);
        mul_blocked(&a, &b, &c3);
        if (!matrix_equal(&c1, &c2) || !matrix_equal(&c1, &c3))
            errors++;
        hu = hu * 33u ^ checksum_u(&c3);
    }

    total = sum_d(&c3, &trace);
    printf("matmul: n=%d block=%d errors=%d\n", N, BLOCK, errors);
    printf("int checksum=%08x c[0][0]=%u c[n-1][n-1]=%u\n", (unsigned)hu,
           (unsigned)c3.u[0], (unsigned)c3.u[N * N - 1]);
    printf("double weighted_sum=%.3f trace=%.3f c[1][2]=%.5f\n", total, trace,
           c3.d[1 * N + 2]);

    matrix_free(&a);
    matrix_free(&b);
    matrix_free(&c1);
    matrix_free(&c2);
    matrix_free(&c3);
    return errors == 0 ? 0 : 1;
}

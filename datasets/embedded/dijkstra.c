/*
 * dijkstra.c - PassGym embedded benchmark.
 *
 * Builds a deterministic weighted directed graph stored as an adjacency
 * matrix and computes single-source shortest paths from several sources
 * using Dijkstra's algorithm with a binary-heap priority queue.  The heap
 * result is cross-checked against a simple O(V^2) array scan version, and
 * a checksum of all distances and path lengths is printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

#define NV 400
#define NSOURCES 60
#define NO_EDGE 0
#define INF 0x3fffffff

typedef struct {
    int dist;
    int node;
} HeapItem;

typedef struct {
    HeapItem *items;
    int size;
    int cap;
} Heap;

static int adj[NV][NV];
static int dist_heap[NV];
static int dist_scan[NV];
static int prev_node[NV];
static unsigned char done[NV];

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

static void build_graph(void)
{
    int i, j;
    for (i = 0; i < NV; i++) {
        for (j = 0; j < NV; j++) {
            uint32_t r = next_rand();
            if (i == j)
                adj[i][j] = NO_EDGE;
            else if (r % 100u < 7u)         /* ~7% density */
                adj[i][j] = 1 + (int)(next_rand() % 1000u);
            else
                adj[i][j] = NO_EDGE;
        }
        /* A ring guarantees the graph is strongly connected. */
        adj[i][(i + 1) % NV] = 500 + (int)(next_rand() % 500u);
    }
}

static void heap_init(Heap *h, int cap)
{
    h->items = malloc((size_t)cap * sizeof(HeapItem));
    h->size = 0;
    h->cap = cap;
}

static void heap_push(Heap *h, int dist, int node)
{
    int i = h->size++;
    if (h->size > h->cap) {
        h->cap *= 2;
        h->items = realloc(h->items, (size_t)h->cap * sizeof(HeapItem));
    }
    while (i > 0) {
        int parent = (i - 1) / 2;
        if (h->items[parent].dist <= dist)
            break;
        h->items[i] = h->items[parent];
        i = parent;
    }
    h->items[i].dist = dist;
    h->items[i].node = node;
}

static HeapItem heap_pop(Heap *h)
{
    HeapItem top = h->items[0];
    HeapItem last = h->items[--h->size];
    int i = 0;
    for (;;) {
        int child = 2 * i + 1;
        if (child >= h->size)
            break;
        if (child + 1 < h->size && h->items[child + 1].dist < h->items[child].dist)
            child++;
        if (last.dist <= h->items[child].dist)
            break;
        h->items[i] = h->items[child];
        i = child;
    }
    if (h->size > 0)
        h->items[i] = last;
    return top;
}

static void dijkstra_heap(Heap *h, int src)
{
    int v;
    for (v = 0; v < NV; v++) {
        dist_heap[v] = INF;
        prev_node[v] = -1;
        done[v] = 0;
    }
    h->size = 0;
    dist_heap[src] = 0;
    heap_push(h, 0, src);
    while (h->size > 0) {
        HeapItem it = heap_pop(h);
        int u = it.node;
        if (done[u])
            continue;
        done[u] = 1;
        for (v = 0; v < NV; v++) {
            int w = adj[u][v];
            if (w != NO_EDGE && !done[v]) {
                int nd = dist_heap[u] + w;
                if (nd < dist_heap[v]) {
                    dist_heap[v] = nd;
                    prev_node[v] = u;
                    heap_push(h, nd, v);
                }
            }
        }
    }
}

static void dijkstra_scan(int src)
{
    int i, v;
    for (v = 0; v < NV; v++) {
        dist_scan[v] = INF;
        done[v] = 0;
    }
    dist_scan[src] = 0;
    for (i = 0; i < NV; i++) {
        int u = -1, best = INF;
        for (v = 0; v < NV; v++) {
            if (!done[v] && dist_scan[v] < best) {
                best = dist_scan[v];
                u = v;
            }
        }
        if (u < 0)
            break;
        done[u] = 1;
        for (v = 0; v < NV; v++) {
            int w = adj[u][v];
            if (w != NO_EDGE && dist_scan[u] + w < dist_scan[v])
                dist_scan[v] = dist_scan[u] + w;
        }
    }
}

static int path_length(int target)
{
    int hops = 0;
    while (prev_node[target] >= 0) {
        target = prev_node[target];
        hops++;
    }
    return hops;
}

int main(void)
{
    Heap h;
    int s, v, mismatches = 0;
    uint32_t check = 0;
    long long total_dist = 0;
    int max_dist = 0, max_hops = 0;

    build_graph();
    heap_init(&h, 64);

    for (s = 0; s < NSOURCES; s++) {
        int src = (s * 37) % NV;
        dijkstra_heap(&h, src);
        dijkstra_scan(src);
        for (v = 0; v < NV; v++) {
            int hops;
            if (dist_heap[v] != dist_scan[v])
                mismatches++;
            total_dist += dist_heap[v];
            if (dist_heap[v] > max_dist)
                max_dist = dist_heap[v];
            hops = path_length(v);
            if (hops > max_hops)
                max_hops = hops;
            check = check * 1000003u + (uint32_t)dist_heap[v] + (uint32_t)hops;
        }
        if (s < 3)
            printf("src %3d: dist[%d]=%d dist[%d]=%d\n", src, NV / 2,
                   dist_heap[NV / 2], NV - 1, dist_heap[NV - 1]);
    }

    printf("dijkstra: nodes=%d sources=%d mismatches=%d\n", NV, NSOURCES,
           mismatches);
    printf("total=%lld max_dist=%d max_hops=%d checksum=%08x\n", total_dist,
           max_dist, max_hops, (unsigned)check);
    free(h.items);
    return mismatches == 0 ? 0 : 1;
}

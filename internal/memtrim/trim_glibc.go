//go:build linux && cgo

package memtrim

/*
#include <malloc.h>
#include <stdlib.h>

// fragment leaves n blocks of size bytes allocated and frees all but
// the last, so the freed memory sits below a live block where the heap
// cannot shrink by itself (the shape Mesa's texture churn leaves).
static void *fragment(int n, size_t size) {
	void **blocks = malloc(n * sizeof(void *));
	if (blocks == NULL) return NULL;
	for (int i = 0; i < n; i++) {
		blocks[i] = malloc(size);
		if (blocks[i] != NULL) ((volatile char *)blocks[i])[0] = 1;
		for (size_t j = 0; blocks[i] != NULL && j < size; j += 4096) ((volatile char *)blocks[i])[j] = 1;
	}
	for (int i = 0; i < n - 1; i++) free(blocks[i]);
	void *last = blocks[n - 1];
	free(blocks);
	return last;
}
*/
import "C"

import "unsafe"

// Trim returns the C heap's free pages to the system (glibc's
// malloc_trim(0), which also releases whole free pages in the middle of
// each arena) and reports whether any memory was released.
func Trim() bool {
	return C.malloc_trim(0) == 1
}

// fragment allocates n blocks of size bytes with malloc, touches them,
// and frees all but the last; free releases that one. For the tests,
// which cannot use cgo themselves.
func fragment(n, size int) (free func()) {
	p := C.fragment(C.int(n), C.size_t(size))
	return func() { C.free(unsafe.Pointer(p)) }
}

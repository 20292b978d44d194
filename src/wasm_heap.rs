//! The heap of the npm package's wasm: std's own allocator (dlmalloc) over a linear memory that
//! grows geometrically.
//!
//! std's dlmalloc grows the memory by what each request needs, 64 KiB at a time for small
//! objects, so a heap of 3.5 GiB took about 50,000 `memory.grow`s. Each one costs the host far
//! more than the allocation it serves (V8 replaces the memory's `ArrayBuffer` and accounts its
//! external memory, which runs the garbage collector), and at 100,000 components that was a third
//! of a 100 s load in Node. Growing by a quarter of the current size (at least 1 MiB) makes it a
//! few dozen. Pages grown but not yet used cost no physical memory: V8 commits a page when it is
//! first written. The Go module's build keeps std's allocator: wazero grows cheaply, and the
//! geometric steps measured no faster there and 4% more resident memory.

use dlmalloc::{Allocator, Dlmalloc};
use std::alloc::{GlobalAlloc, Layout};
use std::cell::UnsafeCell;

#[cfg(target_feature = "atomics")]
compile_error!("GrowingHeap takes no lock: it is written for single-threaded wasm32");

const PAGE: usize = 64 * 1024;
/// The smallest growth, in pages (1 MiB), so that a young heap does not grow page by page.
const MIN_GROWTH_PAGES: usize = 16;

/// The memory dlmalloc asks for, grown by at least a quarter of what there is.
struct GeometricPages;

impl GeometricPages {
    fn grow(pages: usize) -> Option<(*mut u8, usize)> {
        let previous = core::arch::wasm32::memory_grow(0, pages);
        (previous != usize::MAX).then(|| ((previous * PAGE) as *mut u8, pages * PAGE))
    }
}

// SAFETY: `alloc` hands out only pages just added to the memory, which nothing else uses; the
// rest answers "cannot" (memory is never returned or remapped), as dlmalloc's own wasm system does.
unsafe impl Allocator for GeometricPages {
    fn alloc(&self, size: usize) -> (*mut u8, usize, u32) {
        let needed = size.div_ceil(PAGE);
        let ample = needed.max(core::arch::wasm32::memory_size(0) / 4).max(MIN_GROWTH_PAGES);
        // Near the 4 GiB limit the ample growth may not fit where the needed one still does.
        match Self::grow(ample).or_else(|| Self::grow(needed)) {
            // The last page of the address space cannot be handed out whole: a pointer may not
            // wrap to 0 (dlmalloc's own wasm system keeps the same 16 bytes back).
            Some((base, bytes)) if (base as usize).wrapping_add(bytes) == 0 => (base, bytes - 16, 0),
            Some((base, bytes)) => (base, bytes, 0),
            None => (std::ptr::null_mut(), 0, 0),
        }
    }
    fn remap(&self, _ptr: *mut u8, _old: usize, _new: usize, _can_move: bool) -> *mut u8 {
        std::ptr::null_mut()
    }
    fn free_part(&self, _ptr: *mut u8, _old: usize, _new: usize) -> bool {
        false
    }
    fn free(&self, _ptr: *mut u8, _size: usize) -> bool {
        false
    }
    fn can_release_part(&self, _flags: u32) -> bool {
        false
    }
    fn allocates_zeros(&self) -> bool {
        true
    }
    fn page_size(&self) -> usize {
        PAGE
    }
}

/// dlmalloc over `GeometricPages`, as a global allocator.
pub(crate) struct GrowingHeap(UnsafeCell<Dlmalloc<GeometricPages>>);

// SAFETY: wasm32 without the atomics feature (checked above) runs one thread, so no two calls
// ever reach the allocator at once, and dlmalloc never calls back into the global allocator.
unsafe impl Sync for GrowingHeap {}

impl GrowingHeap {
    pub(crate) const fn new() -> Self {
        GrowingHeap(UnsafeCell::new(Dlmalloc::new_with_allocator(GeometricPages)))
    }
}

// SAFETY: each method forwards to dlmalloc with the layout's size and alignment, as std's own
// wasm allocator does; exclusive access to the cell holds by the `Sync` argument above.
unsafe impl GlobalAlloc for GrowingHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        (*self.0.get()).malloc(layout.size(), layout.align())
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        (*self.0.get()).calloc(layout.size(), layout.align())
    }
    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        (*self.0.get()).free(pointer, layout.size(), layout.align())
    }
    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        (*self.0.get()).realloc(pointer, layout.size(), layout.align(), new_size)
    }
}

//! Host-facing allocation, and the allocator that remembers a failed allocation. The crate never
//! asks for memory fallibly, so a failure always ends in a trap; the flag survives it, so the
//! host can read it afterwards and report a memory cap instead of a bug.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, Ordering};

static FAILED: AtomicBool = AtomicBool::new(false);

struct FlagOnExhaustion;

impl FlagOnExhaustion {
    fn checked(pointer: *mut u8) -> *mut u8 {
        if pointer.is_null() {
            FAILED.store(true, Ordering::SeqCst);
        }
        pointer
    }
}

// SAFETY: every method forwards to the system allocator unchanged; only a flag is set on failure.
unsafe impl GlobalAlloc for FlagOnExhaustion {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        Self::checked(System.alloc(layout))
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        Self::checked(System.alloc_zeroed(layout))
    }
    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        Self::checked(System.realloc(pointer, layout, new_size))
    }
    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        System.dealloc(pointer, layout)
    }
}

#[global_allocator]
static ALLOC: FlagOnExhaustion = FlagOnExhaustion;

pub fn failed() -> bool {
    FAILED.load(Ordering::SeqCst)
}

fn layout(length: usize) -> Layout {
    // Byte buffers: alignment 1; a zero length still gets a real (1-byte) block to free later.
    Layout::from_size_align(length.max(1), 1).unwrap_or(Layout::new::<u8>())
}

pub fn allocate(length: usize) -> *mut u8 {
    let pointer = unsafe { System.alloc(layout(length)) };
    if pointer.is_null() {
        FAILED.store(true, Ordering::SeqCst);
        std::alloc::handle_alloc_error(layout(length));
    }
    pointer
}

/// SAFETY: `pointer` came from `allocate(length)` or is a result buffer of `length` bytes.
pub unsafe fn deallocate(pointer: *mut u8, length: usize) {
    System.dealloc(pointer, layout(length))
}

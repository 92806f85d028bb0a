//! The command's allocator: the system's, with large blocks marked for transparent huge
//! pages.
//!
//! A report's columns, trees and tables are large blocks written once, and on Linux each
//! 4 KiB page of a fresh block costs a page fault the first time it is touched: at a million
//! incidents that is about 160,000 faults, a sixth of the run. Marking a block
//! `MADV_HUGEPAGE` lets the kernel back it with 2 MiB pages (where transparent huge pages are
//! enabled at all, as "always" or "madvise"), one fault for 512 small ones. glibc can do the
//! same itself (`GLIBC_TUNABLES=glibc.malloc.hugetlb=1`), but only when told before the
//! process starts.
//!
//! Only the advice is added: every block is allocated, moved and freed by the system
//! allocator, and a refused hint changes nothing.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};

/// The system allocator, asking for huge pages under large blocks.
pub struct HugePageHint;

/// The size of a transparent huge page on x86-64 and (with 4 KiB base pages) on AArch64.
const HUGE_PAGE: usize = 2 << 20;

// SAFETY: every method hands the request to `System` unchanged and returns its answer; the
// only addition, `advise`, never reads or writes the block.
unsafe impl GlobalAlloc for HugePageHint {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's guarantees for `layout` are passed on.
        let block = unsafe { System.alloc(layout) };
        advise(block, layout.size());
        block
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let block = unsafe { System.alloc_zeroed(layout) };
        advise(block, layout.size());
        block
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        // SAFETY: `block` came from `System` with `layout`, as the caller guarantees.
        unsafe { System.dealloc(block, layout) }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`, with the caller's guarantees for `new_size`.
        let block = unsafe { System.realloc(block, layout, new_size) };
        advise(block, new_size);
        block
    }
}

/// Marks the whole huge pages inside `[block, block + size)` as wanting huge pages. Blocks
/// too small to hold one are left alone.
fn advise(block: *mut u8, size: usize) {
    let start = (block as usize).next_multiple_of(HUGE_PAGE);
    let end = (block as usize).saturating_add(size) / HUGE_PAGE * HUGE_PAGE;
    if block.is_null() || end <= start {
        return;
    }
    #[cfg(target_os = "linux")]
    // SAFETY: the range lies within a block the process owns, and MADV_HUGEPAGE only sets
    // the kernel's paging policy for it: the contents, and the block's owner, are unchanged.
    // Its result is ignored: a refused hint leaves the ordinary pages.
    unsafe {
        libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_keep_their_contents_through_growth() {
        // A block large enough to be advised, grown past the next huge page and freed.
        let mut values: Vec<u64> = (0..(HUGE_PAGE as u64)).collect();
        values.extend(0..(HUGE_PAGE as u64));
        assert_eq!(values[HUGE_PAGE + 7], 7);
        assert_eq!(
            values.iter().sum::<u64>(),
            (HUGE_PAGE as u64) * (HUGE_PAGE as u64 - 1)
        );
    }
}

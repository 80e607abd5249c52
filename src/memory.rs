//! How a one-shot build holds its memory peak steady: glibc's allocator tuned for the
//! PDF export, the phase where the peak falls.
//!
//! glibc serves a large allocation from its heap once a freed one has raised its
//! threshold (up to 32 MiB), and the export makes many such buffers (a compressor's
//! state for each stream, font subsets) on Typst's threads as well as this one: how
//! they landed among the layout's freed holes moved 2021-Q4's peak between 124 and
//! 165 MiB from one build to the next (eight builds). Allocations of 256 KiB and more
//! mapped of their own during the export hold it at 122–124 MiB in every build, with
//! no difference in time beyond the runs' spread.

/// The threshold above which the export's allocations are mapped of their own.
/// 384 KiB and 1 MiB still let one build in three peak 20–40 MiB higher.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const EXPORT_MMAP_THRESHOLD: i32 = 256 * 1024;

/// Called by a one-shot build before its PDF export. `serve`, whose rebuilds reuse
/// what the last one allocated, does not. A `MALLOC_MMAP_THRESHOLD_` in the
/// environment is the user's choice and left alone.
pub fn steady_export() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        if std::env::var_os("MALLOC_MMAP_THRESHOLD_").is_none() {
            // SAFETY: `mallopt` sets a tuning parameter under the allocator's own
            // lock, for allocations made after it; it reports failure by its result,
            // which leaves glibc's default in place.
            unsafe {
                libc::mallopt(libc::M_MMAP_THRESHOLD, EXPORT_MMAP_THRESHOLD);
            }
        }
    }
}

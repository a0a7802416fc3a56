//! FxHash: the fast, deterministic hasher of the build's own tables (the search index's term
//! counts and inversion, the minifier's memo of a theme's tags). Not a defence against keys
//! chosen to collide: an editor's text could slow a build that way, never change its output.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FxHash's state.
#[derive(Default, Clone, Copy)]
pub(crate) struct Fx(u64);

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        // The product's high bits are the well-mixed ones; hashbrown indexes by the low bits.
        self.0.rotate_left(26)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.write_u64(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        for &b in chunks.remainder() {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
}

/// A `HashMap` hashed with [`Fx`].
pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn equal_keys_hash_alike_and_neighbours_apart() {
        let b = BuildHasherDefault::<Fx>::default();
        assert_eq!(b.hash_one(b"<a href=x>"), b.hash_one(b"<a href=x>"));
        assert_ne!(b.hash_one(b"<a href=x>"), b.hash_one(b"<a href=y>"));
        let ints: std::collections::HashSet<u64> = (0u64..4096).map(|k| b.hash_one(k)).collect();
        assert_eq!(ints.len(), 4096);
    }
}

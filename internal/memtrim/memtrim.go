// Package memtrim hands the C heap's free memory back to the system.
//
// A Fyne window's C side (Mesa's software GL, the X and sound libraries)
// allocates with the C library's malloc, and glibc keeps what they free
// in its arenas: text that changes every minute makes and drops glyph
// textures, and over a day of idling the freed pages stay resident
// although nothing uses them. Trim asks glibc to return them; elsewhere it
// does nothing.
package memtrim

// The fewest readable images AdaBN accepts unless told otherwise (`--min-images`).
//
// A channel's mean over N images has a standard error of σ_between/√N, where σ_between is how
// much the per-image means of that channel vary, and per-image values are strongly correlated
// within an image, so it is N images, not N·H·W values, that count. Networks are trained with BN
// batches of about 32 images (Ioffe & Szegedy; Goyal et al.'s 32 per worker), and BN's accuracy
// falls off quickly below 16 per batch (Wu & He, Group Normalization, fig. 1). Statistics from
// fewer than 32 images would be noisier than one ordinary training batch's, so they are refused
// by default; a person who knows the domain is uniform can lower the floor.
export const DEFAULT_MIN_IMAGES = 32;

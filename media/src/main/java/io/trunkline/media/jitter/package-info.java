/** The per-session adaptive jitter buffer with reordering, loss concealment and resync. */
package io.trunkline.media.jitter;

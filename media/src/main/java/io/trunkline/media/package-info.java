/** Trunkline module package. */
package io.trunkline.media;

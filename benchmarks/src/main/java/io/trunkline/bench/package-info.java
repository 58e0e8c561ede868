/** Trunkline module package. */
package io.trunkline.bench;

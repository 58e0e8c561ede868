/** Trunkline module package. */
package io.trunkline.amd;

/** Trunkline module package. */
package io.trunkline.sim;

/** Trunkline module package. */
package io.trunkline.cli;

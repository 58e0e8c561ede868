/** Trunkline module package. */
package io.trunkline.engine;

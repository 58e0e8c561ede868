/** Trunkline module package. */
package io.trunkline.sip;

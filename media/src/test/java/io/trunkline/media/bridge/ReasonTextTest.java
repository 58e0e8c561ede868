package io.trunkline.media.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Text an assistant controls (a close frame's reason) cannot forge log lines or flood a reason. */
class ReasonTextTest {

    @Test
    void controlCharactersBecomeSpacesAndLongTextIsCut() {
        assertEquals("bye  FORGED ERROR", MediaStreamsSession.printable("bye\r\nFORGED ERROR"));
        assertEquals("", MediaStreamsSession.printable(null));
        String cut = MediaStreamsSession.printable("x".repeat(500));
        assertEquals(201, cut.length());
        assertEquals('…', cut.charAt(200));
    }
}

package io.trunkline.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad arguments exit 2 with a message that names the field and what is allowed. */
class CliArgumentsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "dial --trunk 127.0.0.1:5060 --from 1555 --to 1666|trunk must look like sip:HOST:PORT",
            "dial --trunk sip:127.0.0.1:99999 --from 1555 --to 1666|trunk port must be 1..65535",
            "dial --trunk sip:127.0.0.1:5060 --transport sctp --from 1555 --to 1666|transport must be udp or tcp",
            "dial --trunk sip:127.0.0.1:5060 --from 1555 --to 1666 --hangup-after -1|--hangup-after must be 0..86400",
            "dial --trunk sip:127.0.0.1:5060 --from 15@55 --to 15550100002|from must be an E.164 number",
            "dial --trunk sip:127.0.0.1:5060 --from 1555 --to 1666 --user bob|--user needs --password",
            "load --trunk sip:127.0.0.1:5060 --rate 0 --calls 10|rate must be > 0",
            "load --trunk sip:127.0.0.1:5060 --rate 10 --calls 0|calls must be 1..10000000",
            "sim --listen 127.0.0.1 --duration 1|--listen must be HOST:PORT",
            "sim --listen 127.0.0.1:0 --mix answer=x --duration 1|mix weight for answer must be a whole number",
            "sim --listen 127.0.0.1:0 --mix ring=1 --duration 1|behavior must be one of answer, busy, no-answer, decline, unavailable",
            "dial --from 1555 --to 1666|give one of --trunk or --config",
            "dial --trunk sip:127.0.0.1:5060 --from 15550100001 --to 15550100002 --timeout 0|--timeout must be 1..600",
            "dial --trunk sip:127.0.0.1:5060 --from 15550100001 --to 15550100002 --attest D|--attest must be A, B or C",
            "load --trunk sip:127.0.0.1:5060 --rate 10 --calls 1 --path both --to uas|--to must be E.164 digits on the engine path",
    })
    void badArgumentsNameTheField(String args, String message) {
        CliRun run = CliRun.of(args.split(" "));
        assertEquals(2, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains(message), "expected '" + message + "' in: " + run.err());
    }

    @org.junit.jupiter.api.Test
    void aSimulatorOnATakenPortSaysSoAndExits1() throws Exception {
        try (java.net.DatagramSocket holder = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            CliRun run = CliRun.of("sim", "--listen", "127.0.0.1:" + holder.getLocalPort(), "--no-tcp", "--duration", "1");
            assertEquals(1, run.exitCode(), run.out() + run.err());
            assertTrue(run.err().contains("127.0.0.1:" + holder.getLocalPort() + " is already in use"), run.err());
            assertTrue(!run.err().contains("\tat "), "no stack trace: " + run.err());
        }
    }

    @org.junit.jupiter.api.Test
    void aBadConfigFileNamesTheFieldInEveryCommand() throws Exception {
        java.nio.file.Path bad = java.nio.file.Files.createTempFile("trunkline-bad", ".yaml");
        try {
            java.nio.file.Files.writeString(bad, "trunks:\n  - name: main\n    target: sip:127.0.0.1:5060\n    cps: -1\n");
            for (String[] args : new String[][] {
                    {"dial", "--config", bad.toString(), "--from", "15550100001", "--to", "15550100002"},
                    {"load", "--config", bad.toString(), "--rate", "1", "--calls", "1"}}) {
                CliRun run = CliRun.of(args);
                assertEquals(2, run.exitCode(), args[0] + ": " + run.out() + run.err());
                assertTrue(run.err().contains("trunks[0].cps"), args[0] + ": " + run.err());
                assertTrue(!run.err().contains("\tat "), "no stack trace: " + run.err());
            }
        } finally {
            java.nio.file.Files.deleteIfExists(bad);
        }
    }

    @org.junit.jupiter.api.Test
    void headerInjectionInTheCalleeIsRefusedBeforeAnythingIsSent() {
        CliRun run = CliRun.of("dial", "--trunk", "sip:127.0.0.1:5060", "--from", "1555", "--to", "1666\r\nX-Evil: 1");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("to must not contain CR, LF or NUL"), run.err());
    }
}

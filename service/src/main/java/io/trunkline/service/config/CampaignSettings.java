package io.trunkline.service.config;

import io.trunkline.service.campaign.CallingWindow;

import java.nio.file.Path;

/**
 * The {@code campaigns} section: the compliance bounds every campaign runs inside, and this node's name when
 * several dialer nodes share one PostgreSQL.
 *
 * @param callingHours never dial a recipient outside these local hours, whatever a campaign's window says (the
 *                     US TCPA rule is 08:00-21:00)
 * @param dncFile      a do-not-call list (one number per line, or a CSV with a phone column) imported at start; null
 *                     for none
 * @param nodeId       this process's name among the nodes; null for a new one at each start
 */
public record CampaignSettings(CallingWindow callingHours, Path dncFile, String nodeId) {
    public static final String DEFAULT_CALLING_HOURS = "08:00-21:00";

    public static CampaignSettings defaults() {
        return new CampaignSettings(CallingWindow.hours(DEFAULT_CALLING_HOURS), null, null);
    }
}

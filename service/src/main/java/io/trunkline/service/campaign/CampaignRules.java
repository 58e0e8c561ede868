package io.trunkline.service.campaign;

import java.time.Instant;
import java.util.Map;

/**
 * What the scheduler needs of a campaign's settings.
 *
 * @param window the campaign's window already narrowed to the legal calling hours
 */
public record CampaignRules(CallingWindow window, Instant startAt, Instant endAt, Map<String, RetryRule> retry,
                            int concurrency, int cps, double abandonmentCapPercent) {}

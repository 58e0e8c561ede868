package io.trunkline.service.store;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/**
 * The same contract on PostgreSQL: the throwaway cluster scripts/test.sh starts (TRUNKLINE_TEST_PG_URL, _USER,
 * _PASSWORD). Each test gets a schema of its own. Skipped without one locally; under CI=true a missing database fails.
 */
class PostgresCallStoreTest extends CallStoreContract {
    private String schema;

    static String url() {
        String url = System.getenv("TRUNKLINE_TEST_PG_URL");
        if (url == null) {
            if ("true".equals(System.getenv("CI"))) throw new AssertionError("CI=true but TRUNKLINE_TEST_PG_URL is not set: scripts/test.sh starts PostgreSQL");
            Assumptions.abort("no PostgreSQL: set TRUNKLINE_TEST_PG_URL (scripts/test.sh does)");
        }
        return url;
    }

    @BeforeEach
    @Override
    void openStore() {
        url();
        schema = "t" + Long.toHexString(System.nanoTime());
        super.openStore();
    }

    @Override
    protected CallStore open() {
        return JdbcCallStore.open(StoreSettings.postgres(url() + "?currentSchema=" + schema, System.getenv("TRUNKLINE_TEST_PG_USER"),
                System.getenv("TRUNKLINE_TEST_PG_PASSWORD"), 8));
    }
}

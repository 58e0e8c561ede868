package io.trunkline.service.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class SqliteCallStoreTest extends CallStoreContract {
    @TempDir
    Path dir;

    @Override
    protected CallStore open() {
        return JdbcCallStore.open(StoreSettings.sqlite(dir.resolve("store.db")));
    }
}

package org.engram.driver.engine;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.engram.driver.data.DatasetStore;
import org.engram.jobs.core.UnitContext;
import org.engram.jobs.data.DataCache;
import org.engram.jobs.data.SharedState;

/**
 * What an executor JVM keeps between tasks: one dataset cache and one shared-state memory, so a dataset is
 * read once per executor and a training trajectory is computed once. The engine owns them here and hands
 * them to every unit it runs as a {@link UnitContext}; jobs never reach them through a static.
 */
public final class ExecutorState {
    private static volatile Configuration conf = new Configuration();
    private static final SharedState SHARED = new SharedState();
    private static final DataCache DATA = new DataCache((root, name, split) -> DatasetStore.load(root, name, split, conf),
            SHARED);

    private ExecutorState() {
    }

    /**
     * The context for a partition's units: datasets read through {@code hconf}, checked against what the driver
     * found before the sweep ({@code dataIdentity}: a dataset replaced since this JVM cached it is reloaded), and
     * shared state stored under {@code sharedDir}.
     */
    static UnitContext context(Configuration hconf, Map<String, String> hadoop, Map<String, String> dataIdentity,
                               String sharedDir) {
        conf = hconf;
        DATA.expect(dataIdentity);
        SHARED.use(new SharedStore(sharedDir, hadoop));
        return new UnitContext(DATA, SHARED);
    }

    /** This JVM's shared state (tests count what was computed and what was loaded). */
    public static SharedState shared() {
        return SHARED;
    }
}

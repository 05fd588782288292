package org.engram.jobs.config;

import java.io.Serializable;
import org.engram.jobs.config.Operational;
import org.engram.kernels.data.Binarisation;

/**
 * The parameters of every job that reads images — where they are, how they become bits, how many are used — an
 * inline group of its settings ({@code @Setting(inline = true) DataSettings data}). A relative {@code data-dir} is
 * taken under the Engram home ({@link EngramHome}).
 */
public record DataSettings(
        @Setting(doc = "where the datasets are (any Hadoop URI)")
        @Operational("the ledger keys datasets by content") String dataDir,
        @Setting(doc = "how pixels become bits") Binarisation binarisation,
        @Setting(doc = "training images used (0 = all)", min = 0, max = Integer.MAX_VALUE) int trainRows,
        @Setting(doc = "validation images used (0 = all)", min = 0, max = Integer.MAX_VALUE) int evalRows,
        @Setting(doc = "images held out for validation when the dataset has no test split (the same images for "
                + "every sweep)", min = 1, max = Integer.MAX_VALUE) int holdoutRows) implements Serializable {
    public DataSettings {
        dataDir = EngramHome.resolve(dataDir);
    }
}

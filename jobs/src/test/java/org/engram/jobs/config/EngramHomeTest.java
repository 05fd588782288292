package org.engram.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Locations a user did not type go under the Engram home; typed, absolute and URI locations stay as they are. */
class EngramHomeTest {
    @Test
    void relativePathsGoUnderTheHomeAndNothingElseMoves() {
        assertEquals("/opt/engram/results", EngramHome.resolve("results", "/opt/engram"));
        assertEquals("/opt/engram/data", EngramHome.resolve("data", "/opt/engram/"));
        assertEquals("/shared/results", EngramHome.resolve("/shared/results", "/opt/engram"));
        assertEquals("hdfs:///engram/results", EngramHome.resolve("hdfs:///engram/results", "/opt/engram"));
        assertEquals("file:///x", EngramHome.resolve("file:///x", "/opt/engram"));
        assertEquals("results", EngramHome.resolve("results", null), "no home: the working directory");
    }
}

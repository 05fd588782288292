package org.engram.jobs.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record component that changes how work is done — batch sizes of evaluation, chunking, threads,
 * where data lies (the ledger keys datasets by content) — and never what a trial computes. Such a
 * component is left out of {@link Fingerprint}s and so out of ledger keys; every other component enters
 * them. This annotation is the one visible place where a setting is declared not to affect results.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Operational {
    /** Why the component does not change results (for the reader; not used by the code). */
    String value();
}

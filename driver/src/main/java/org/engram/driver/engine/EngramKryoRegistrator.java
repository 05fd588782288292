package org.engram.driver.engine;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Registers every class Engram sends through Kryo (spark.kryo.registrationRequired = true, so an
 * unregistered class fails loudly instead of silently writing its name with every object).
 */
public final class EngramKryoRegistrator implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(AggKey.class);
        kryo.register(Stat.class);
        kryo.register(org.engram.jobs.core.Moments.class);
        kryo.register(org.engram.jobs.config.Cell.class);
        kryo.register(java.math.BigDecimal.class);
        kryo.register(java.math.BigInteger.class);
        kryo.register(String[].class);
        kryo.register(Object[].class);
        kryo.register(long[].class);
        kryo.register(double[].class);
        kryo.register(int[].class);
        kryo.register(scala.Tuple2.class);
        kryo.register(scala.Tuple2[].class);
        kryo.register(java.util.ArrayList.class);
        kryo.register(java.util.HashMap.class);
        // work units travel inside parallelised partitions
        kryo.register(UnitTask.class, new com.esotericsoftware.kryo.serializers.JavaSerializer());
        for (org.engram.jobs.core.Job<?> job : org.engram.jobs.sweep.JobRegistry.standard().all()) {
            for (Class<?> c : org.engram.jobs.core.CodeVersion.unitClasses(job)) {
                kryo.register(c, new com.esotericsoftware.kryo.serializers.JavaSerializer());
            }
        }
    }
}

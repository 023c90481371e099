package dev.crmkit.testkit;

import dev.crmkit.CustomerSystem;
import dev.crmkit.error.ServerException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a {@link CustomerSystem} so that one of its calls fails, for tests of code that must survive
 * a crash or an outage (the sync engine's kill-and-resume tests). Calls are counted; the call after
 * the first {@code callsBeforeFault} fails as the {@link Fault} says, and every later call behaves
 * normally again (for {@link Fault#SERVER_ERROR}) or fails too (for the crashes, as a dead process
 * would). {@code providerName}, {@code tenantId}, {@code capabilities}, {@code supports},
 * {@code close} and {@code Object} methods are neither counted nor failed. Thread-safe.
 */
public final class FaultyCustomerSystem {
  private static final Set<String> UNCOUNTED = Set.of("providerName", "tenantId", "capabilities", "supports", "close",
      "toString", "hashCode", "equals");

  /** How the faulty call fails. */
  public enum Fault {
    /** Throws {@link SimulatedCrash} before the call reaches the system: nothing of it is written. */
    CRASH_BEFORE,
    /** Lets the call reach the system, then throws {@link SimulatedCrash}: its write is done, its answer lost. */
    CRASH_AFTER,
    /** Throws a {@link ServerException} (HTTP 503) before the call, once; the system works again afterwards. */
    SERVER_ERROR
  }

  /**
   * The process died. An {@link Error}, so code under test that catches {@link RuntimeException}
   * cannot clean up after it, as it could not after a real kill.
   */
  public static final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;

    SimulatedCrash(String message) {
      super(message);
    }
  }

  private FaultyCustomerSystem() {}

  /**
   * The wrapped system.
   *
   * @param delegate the system to wrap; not null
   * @param callsBeforeFault how many counted calls succeed before the faulty one; 0 or more
   * @param fault how the faulty call fails; not null
   * @return a system that behaves like {@code delegate} except for the faulty call
   * @throws IllegalArgumentException when {@code callsBeforeFault} is negative
   */
  public static CustomerSystem wrap(CustomerSystem delegate, int callsBeforeFault, Fault fault) {
    Objects.requireNonNull(delegate, "delegate");
    Objects.requireNonNull(fault, "fault");
    if (callsBeforeFault < 0) {
      throw new IllegalArgumentException("callsBeforeFault must be 0 or more: " + callsBeforeFault);
    }
    AtomicInteger calls = new AtomicInteger();
    InvocationHandler handler = (proxy, method, args) -> {
      if (UNCOUNTED.contains(method.getName())) {
        return invoke(delegate, method, args);
      }
      int n = calls.incrementAndGet();
      boolean crashed = fault != Fault.SERVER_ERROR && n > callsBeforeFault + 1;
      if (n == callsBeforeFault + 1 || crashed) {
        switch (fault) {
          case CRASH_BEFORE -> throw new SimulatedCrash("crashed before call " + n + " (" + method.getName() + ")");
          case CRASH_AFTER -> {
            if (!crashed) {
              invoke(delegate, method, args);
            }
            throw new SimulatedCrash("crashed after call " + n + " (" + method.getName() + ")");
          }
          case SERVER_ERROR -> throw new ServerException("simulated 503 on call " + n + " (" + method.getName() + ")",
              delegate.providerName(), 503, null, null, null);
        }
      }
      return invoke(delegate, method, args);
    };
    return (CustomerSystem) Proxy.newProxyInstance(CustomerSystem.class.getClassLoader(),
        new Class<?>[] {CustomerSystem.class}, handler);
  }

  private static Object invoke(CustomerSystem delegate, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(delegate, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}

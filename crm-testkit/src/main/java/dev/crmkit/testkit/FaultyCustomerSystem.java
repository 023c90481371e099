package dev.crmkit.testkit;

import dev.crmkit.CustomerSystem;
import dev.crmkit.error.ServerException;
import dev.crmkit.IdempotentCreates;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a {@link CustomerSystem} so that one of its calls fails, for tests of code that must survive
 * a crash or an outage (the sync engine's kill-and-resume tests). Calls are counted; the call after
 * the first {@code callsBeforeFault} fails as the {@link Fault} says, and every later call behaves
 * normally again (for {@link Fault#SERVER_ERROR}) or fails too (for the crashes, as a dead process
 * would). {@code providerName}, {@code tenantId}, {@code capabilities}, {@code supports},
 * {@code close} and {@code Object} methods are neither counted nor failed. When the delegate
 * implements {@link IdempotentCreates}, so does the wrapper, and those calls are counted too.
 * Thread-safe.
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
    return wrap(delegate, null, callsBeforeFault, fault);
  }

  /**
   * The wrapped system, counting only calls of one method: the fault hits the call of {@code method}
   * after its first {@code callsBeforeFault}, such as the first {@code bulkWrite} with 0. After a
   * crash every counted call fails, as {@link #wrap(CustomerSystem, int, Fault)} says, and so do the
   * other methods' calls.
   *
   * @param delegate the system to wrap; not null
   * @param counted the name of the method whose calls are counted, such as {@code "bulkWrite"}; {@code
   *     null} counts every method but the uncounted ones
   * @param callsBeforeFault how many of its calls succeed before the faulty one; 0 or more
   * @param fault how the faulty call fails; not null
   * @return a system that behaves like {@code delegate} except for the faulty call and, after a crash, the later ones
   * @throws IllegalArgumentException when {@code callsBeforeFault} is negative
   */
  public static CustomerSystem wrap(CustomerSystem delegate, String counted, int callsBeforeFault, Fault fault) {
    Objects.requireNonNull(delegate, "delegate");
    Objects.requireNonNull(fault, "fault");
    if (callsBeforeFault < 0) {
      throw new IllegalArgumentException("callsBeforeFault must be 0 or more: " + callsBeforeFault);
    }
    AtomicInteger calls = new AtomicInteger();
    AtomicBoolean dead = new AtomicBoolean();
    InvocationHandler handler = (proxy, method, args) -> {
      if (UNCOUNTED.contains(method.getName())) {
        return invoke(delegate, method, args);
      }
      if (counted != null && !counted.equals(method.getName())) {
        if (dead.get()) {
          throw new SimulatedCrash("crashed before a call after the crash (" + method.getName() + ")");
        }
        return invoke(delegate, method, args);
      }
      int n = calls.incrementAndGet();
      boolean crashed = fault != Fault.SERVER_ERROR && n > callsBeforeFault + 1;
      if (fault != Fault.SERVER_ERROR && n >= callsBeforeFault + 1) {
        dead.set(true);
      }
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
    Class<?>[] types = delegate instanceof IdempotentCreates
        ? new Class<?>[] {CustomerSystem.class, IdempotentCreates.class} : new Class<?>[] {CustomerSystem.class};
    return (CustomerSystem) Proxy.newProxyInstance(CustomerSystem.class.getClassLoader(), types, handler);
  }

  private static Object invoke(CustomerSystem delegate, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(delegate, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}

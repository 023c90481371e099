package dev.crmkit.hubspot.internal;

import dev.crmkit.CustomerWrite;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.ApiConnectionException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.hubspot.HubSpotContactMapping;
import dev.crmkit.hubspot.internal.ContactBatchCalls.Item;
import dev.crmkit.hubspot.internal.HubSpotApi.BatchInput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@link dev.crmkit.CustomerSystem#bulkWrite}: decided values written in HubSpot's batches of 100
 * without reading first, up to {@code writeConcurrency} batch calls in flight. A write naming an email
 * or id that an earlier write of the same call names goes in a later wave, which starts only when the
 * earlier wave has finished, so writes to one record keep their order. Thread-safe.
 */
public final class ContactBatchWriter {
  private final HubSpotApi api;
  private final HubSpotContactMapping mapping;
  private final ContactBatchCalls batches;
  private final int writeConcurrency;

  /**
   * @param writeConcurrency most batch calls in flight at once; at least 1
   */
  public ContactBatchWriter(ContactReader contacts, ContactBatchCalls batches, int writeConcurrency) {
    this.api = contacts.api();
    this.mapping = contacts.mapping();
    this.batches = batches;
    this.writeConcurrency = writeConcurrency;
  }

  /**
   * Creates with an email go through {@code batch/upsert} by email, creates without one through
   * {@code batch/create}, updates through {@code batch/update} by id, each preceded, when it sets the
   * lifecycle stage, by a {@code batch/update} clearing it.
   */
  public List<UpsertOutcome> bulkWrite(List<CustomerWrite> writes) {
    if (writes == null || writes.stream().anyMatch(Objects::isNull)) {
      throw ValidationException.of("writes", String.valueOf(writes), "must be a list without null elements");
    }
    UpsertOutcome[] outcomes = new UpsertOutcome[writes.size()];
    Map<String, Item> byTrace = new HashMap<>();
    List<WriteWave> waves = new ArrayList<>();
    Map<String, Integer> lastWave = new HashMap<>();
    for (int i = 0; i < writes.size(); i++) {
      CustomerWrite w = writes.get(i);
      String trace = Integer.toString(i);
      try {
        BatchInput input;
        String key;
        Item p;
        if (w.isCreate()) {
          String email = w.draft().email();
          input = new BatchInput(email, mapping.toProperties(w.draft()), trace);
          key = email == null ? null : "email:" + email;
          p = new Item(i, w.draft(), null);
        } else {
          if (!ContactReader.isId(w.customerId())) {
            throw new NotFoundException(HubSpotApi.PROVIDER, "customer", w.customerId());
          }
          input = new BatchInput(w.customerId(), mapping.toProperties(w.update()), trace);
          key = "id:" + w.customerId();
          p = new Item(i, null, null);
          p.existing = true;
        }
        int wave = key == null ? 0 : lastWave.getOrDefault(key, -1) + 1;
        if (key != null) {
          lastWave.put(key, wave);
        }
        while (waves.size() <= wave) {
          waves.add(new WriteWave());
        }
        byTrace.put(trace, p);
        WriteWave target = waves.get(wave);
        (!w.isCreate() ? target.updates : input.id() != null ? target.upserts : target.creates).add(input);
      } catch (CrmException e) {
        outcomes[i] = new UpsertOutcome(i, UpsertOutcome.Status.REJECTED, null, e);
      }
    }
    for (WriteWave wave : waves) {
      runConcurrently(wave.calls(byTrace, outcomes));
    }
    return List.of(outcomes);
  }

  /** The writes of one wave, by endpoint; no email or id appears twice in a wave. */
  private final class WriteWave {
    final List<BatchInput> upserts = new ArrayList<>();
    final List<BatchInput> creates = new ArrayList<>();
    final List<BatchInput> updates = new ArrayList<>();

    /** One task per batch call of at most 100 inputs. */
    List<Runnable> calls(Map<String, Item> byTrace, UpsertOutcome[] outcomes) {
      List<Runnable> calls = new ArrayList<>();
      for (List<BatchInput> chunk : chunks(upserts)) {
        calls.add(() -> batches.send(chunk, byTrace, outcomes, api::batchUpsertContactsByEmail));
      }
      for (List<BatchInput> chunk : chunks(creates)) {
        calls.add(() -> batches.send(chunk, byTrace, outcomes, api::batchCreateContacts));
      }
      for (List<BatchInput> chunk : chunks(updates)) {
        calls.add(() -> {
          List<BatchInput> stageClears = chunk.stream()
              .filter(in -> in.properties().containsKey(HubSpotContactMapping.LIFECYCLE_STAGE))
              .map(in -> new BatchInput(in.id(), Map.of(HubSpotContactMapping.LIFECYCLE_STAGE, ""), in.traceId()))
              .toList();
          if (!stageClears.isEmpty()) {
            // Failures here show again, record by record, in the update that follows.
            api.batchUpdateContacts(stageClears);
          }
          batches.send(chunk, byTrace, outcomes, api::batchUpdateContacts);
        });
      }
      return calls;
    }
  }

  private static List<List<BatchInput>> chunks(List<BatchInput> inputs) {
    List<List<BatchInput>> chunks = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i += HubSpotApi.BATCH_LIMIT) {
      chunks.add(List.copyOf(inputs.subList(i, Math.min(inputs.size(), i + HubSpotApi.BATCH_LIMIT))));
    }
    return chunks;
  }

  /**
   * Runs the calls with at most {@code writeConcurrency} at once and waits for all. The first
   * failure (transport, auth, rate limit, server) is thrown once every call has ended; outcomes of
   * the calls that succeeded are filled in either way.
   */
  private void runConcurrently(List<Runnable> calls) {
    if (calls.size() <= 1 || writeConcurrency == 1) {
      RuntimeException first = null;
      for (Runnable call : calls) {
        try {
          call.run();
        } catch (RuntimeException e) {
          first = first == null ? e : first;
        }
      }
      if (first != null) {
        throw first;
      }
      return;
    }
    int threads = Math.min(writeConcurrency, calls.size());
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "crmkit-hubspot-write");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Runnable call : calls) {
        futures.add(pool.submit(call));
      }
      RuntimeException first = null;
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (first == null) {
            first = e.getCause() instanceof RuntimeException r ? r
                : new CrmException("hubspot batch write failed: " + e.getCause(), HubSpotApi.PROVIDER, 0, null, null,
                    e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          pool.shutdownNow();
          throw new ApiConnectionException("interrupted while writing to hubspot", HubSpotApi.PROVIDER, 0, null,
              null, e);
        }
      }
      if (first != null) {
        throw first;
      }
    } finally {
      pool.shutdown();
    }
  }
}

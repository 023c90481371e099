package dev.crmkit.testkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SalesforceEmulatorBulkTest {
  private static final String CSV = "text/csv";

  private final SalesforceEmulator emulator = SalesforceEmulator.start();
  private final SalesforceHttp http = new SalesforceHttp(emulator);

  @AfterEach
  void stop() {
    emulator.close();
  }

  private String createJob(String operation) {
    SalesforceHttp.Answer created = http.post("/jobs/ingest",
        "{\"object\":\"Contact\",\"operation\":\"" + operation + "\",\"contentType\":\"CSV\",\"lineEnding\":\"LF\""
            + (operation.equals("upsert") ? ",\"externalIdFieldName\":\"Id\"" : "") + "}");
    assertThat(created.status()).as(created.text()).isEqualTo(200);
    JsonNode job = created.json();
    assertThat(job.get("state").asText()).isEqualTo("Open");
    assertThat(job.get("id").asText()).startsWith("750");
    assertThat(job.get("contentUrl").asText()).isEqualTo("services/data/v59.0/jobs/ingest/" + job.get("id").asText() + "/batches");
    return job.get("id").asText();
  }

  private SalesforceHttp.Answer upload(String job, String csv) {
    return http.send("PUT", http.data("/jobs/ingest/" + job + "/batches"), csv, CSV, emulator.accessToken());
  }

  private JsonNode close(String job) {
    return http.patch("/jobs/ingest/" + job, "{\"state\":\"UploadComplete\"}").json();
  }

  @Test
  void anInsertJobMovesThroughItsStatesAndReportsSuccessesAndFailures() {
    String job = createJob("insert");
    assertThat(upload(job, "FirstName,LastName,Email_Opt_In__c\nAda,Lovelace,true\n").status()).isEqualTo(201);
    assertThat(upload(job, "FirstName,LastName,Email_Opt_In__c\n\"Grace, Rear Admiral\",Hopper,false\nNo,,true\n").status())
        .isEqualTo(201);

    assertThat(close(job).get("state").asText()).isEqualTo("UploadComplete");
    assertThat(http.query("SELECT COUNT() FROM Contact").json().get("totalSize").asInt()).isZero();
    assertThat(http.get("/jobs/ingest/" + job).json().get("state").asText()).isEqualTo("InProgress");
    JsonNode done = http.get("/jobs/ingest/" + job).json();

    assertThat(done.get("state").asText()).isEqualTo("JobComplete");
    assertThat(done.get("numberRecordsProcessed").asInt()).isEqualTo(3);
    assertThat(done.get("numberRecordsFailed").asInt()).isEqualTo(1);
    SalesforceHttp.Answer successful = http.get("/jobs/ingest/" + job + "/successfulResults");
    assertThat(successful.header("Content-Type")).startsWith("text/csv");
    String[] lines = successful.text().split("\n");
    assertThat(lines[0]).isEqualTo("\"sf__Id\",\"sf__Created\",\"FirstName\",\"LastName\",\"Email_Opt_In__c\"");
    assertThat(lines).hasSize(3);
    assertThat(lines[2]).matches("\"003[A-Za-z0-9]{15}\",\"true\",\"Grace, Rear Admiral\",\"Hopper\",\"false\"");
    String failed = http.get("/jobs/ingest/" + job + "/failedResults").text();
    assertThat(failed).startsWith("\"sf__Id\",\"sf__Error\",\"FirstName\",\"LastName\",\"Email_Opt_In__c\"\n")
        .contains("\"\",\"REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --\",\"No\",\"\",\"true\"");
    String graceId = lines[2].substring(1, 19);
    assertThat(emulator.record(graceId).orElseThrow()).containsEntry("Email_Opt_In__c", false);
    assertThat(http.get("/jobs/ingest/" + job + "/unprocessedrecords").text()).isEqualTo("\"FirstName\",\"LastName\",\"Email_Opt_In__c\"\n");
  }

  @Test
  void updateAndDeleteJobsWorkByIdAndNaClearsAField() {
    String id = emulator.insert("Contact", Map.of("LastName", "L", "Email", "l@example.com"));
    String update = createJob("update");
    upload(update, "Id,Email,FirstName\n" + id + ",#N/A,Ada\n");
    close(update);
    http.get("/jobs/ingest/" + update);
    http.get("/jobs/ingest/" + update);

    assertThat(emulator.record(id).orElseThrow()).containsEntry("FirstName", "Ada").containsEntry("Email", null);

    String delete = createJob("delete");
    upload(delete, "Id\n" + id + "\nnot-an-id\n");
    close(delete);
    http.get("/jobs/ingest/" + delete);
    JsonNode done = http.get("/jobs/ingest/" + delete).json();
    assertThat(done.get("numberRecordsFailed").asInt()).isOne();
    assertThat(emulator.record(id).orElseThrow()).containsEntry("IsDeleted", true);
  }

  @Test
  void anAbortedJobLeavesEveryRowUnprocessed() {
    String job = createJob("insert");
    upload(job, "LastName\nA\nB\n");

    JsonNode aborted = http.patch("/jobs/ingest/" + job, "{\"state\":\"Aborted\"}").json();

    assertThat(aborted.get("state").asText()).isEqualTo("Aborted");
    assertThat(http.get("/jobs/ingest/" + job + "/unprocessedrecords").text()).isEqualTo("\"LastName\"\n\"A\"\n\"B\"\n");
    assertThat(http.query("SELECT COUNT() FROM Contact").json().get("totalSize").asInt()).isZero();
  }

  @Test
  void badJobsUploadsAndStateChangesAreRejected() {
    SalesforceHttp.Answer badObject = http.post("/jobs/ingest", "{\"object\":\"Widget\",\"operation\":\"insert\"}");
    SalesforceHttp.Answer badOperation = http.post("/jobs/ingest", "{\"object\":\"Contact\",\"operation\":\"hardDelete\"}");
    String job = createJob("insert");
    SalesforceHttp.Answer badColumn = upload(job, "LastName,Shoe_Size__c\nA,42\n");
    SalesforceHttp.Answer notCsv = http.send("PUT", http.data("/jobs/ingest/" + job + "/batches"), "{}", "application/json",
        emulator.accessToken());
    SalesforceHttp.Answer early = http.get("/jobs/ingest/" + job + "/successfulResults");
    close(job);
    SalesforceHttp.Answer late = upload(job, "LastName\nA\n");
    SalesforceHttp.Answer missing = http.get("/jobs/ingest/" + SalesforceIds.of("750", 999));

    assertThat(badObject.status()).isEqualTo(400);
    assertThat(badObject.errorCode()).isEqualTo("INVALIDENTITY");
    assertThat(badOperation.errorCode()).isEqualTo("INVALIDJOB");
    assertThat(badColumn.errorCode()).isEqualTo("INVALIDBATCH");
    assertThat(notCsv.errorCode()).isEqualTo("INVALIDCONTENTTYPE");
    assertThat(early.errorCode()).isEqualTo("INVALIDJOBSTATE");
    assertThat(late.status()).isEqualTo(409);
    assertThat(missing.status()).isEqualTo(404);
  }
}

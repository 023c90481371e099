package dev.crmkit.salesforce.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.http.ApiResponse;
import dev.crmkit.http.VendorError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SoapEnvelopeTest {
  private static final String FAULT = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv="
      + "\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:sf=\"urn:fault.partner.soap.sforce.com\"><soapenv:Body>"
      + "<soapenv:Fault><faultcode>sf:INVALID_SESSION_ID</faultcode><faultstring>INVALID_SESSION_ID: Invalid Session ID "
      + "found in SessionHeader: Illegal Session</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>";

  @Test
  void aSalesforceFaultYieldsItsCodeWithoutThePrefixAndItsFaultString() {
    SoapEnvelope.Fault fault = SoapEnvelope.fault(FAULT);

    assertThat(fault.code()).isEqualTo("INVALID_SESSION_ID");
    assertThat(fault.message()).startsWith("INVALID_SESSION_ID: Invalid Session ID");
  }

  @Test
  void theErrorParserReadsAFaultBodyAndStillReadsRestErrorArrays() {
    SalesforceErrors parser = new SalesforceErrors();

    VendorError soap = parser.parse(new ApiResponse(500, Map.of(), FAULT));
    VendorError rest = parser.parse(new ApiResponse(401, Map.of(),
        "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]"));

    assertThat(soap.code()).isEqualTo("INVALID_SESSION_ID");
    assertThat(rest.code()).isEqualTo("INVALID_SESSION_ID");
  }

  @Test
  void aGenericSoapFaultHasNoSalesforceCode() {
    String fault = FAULT.replace("sf:INVALID_SESSION_ID", "soapenv:Client");

    assertThat(SoapEnvelope.fault(fault).code()).isNull();
  }

  @Test
  void doctypesEntitiesAndDeepNestingAreRefused() {
    String entity = "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x \"boom\">]>" + FAULT.substring(FAULT.indexOf("?>") + 2)
        .replace("Illegal Session", "&x;");
    String deep = "<a>".repeat(SoapEnvelope.MAX_DEPTH + 1) + "</a>".repeat(SoapEnvelope.MAX_DEPTH + 1);

    assertThat(SoapEnvelope.fault(entity)).isNull();
    assertThatThrownBy(() -> SoapEnvelope.parse(entity)).isInstanceOf(SoapEnvelope.Malformed.class)
        .hasMessageContaining("DOCTYPE");
    assertThatThrownBy(() -> SoapEnvelope.parse(deep)).isInstanceOf(SoapEnvelope.Malformed.class);
    assertThatThrownBy(() -> SoapEnvelope.body("<notSoap/>")).isInstanceOf(SoapEnvelope.Malformed.class);
    assertThat(SoapEnvelope.fault("not xml at all")).isNull();
  }

  @Test
  void valuesAreEscapedAndCharactersXmlCannotHoldAreRefused() {
    assertThat(SoapEnvelope.escape("a<b>&\"c\"\r")).isEqualTo("a&lt;b&gt;&amp;&quot;c&quot;&#13;");
    assertThatThrownBy(() -> SoapEnvelope.escape("bell\u0007")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("U+0007");
  }

  @Test
  void aRequestCarriesTheSessionEscaped() throws Exception {
    String xml = SoapEnvelope.request("00D!a&b", "<urn:undelete><urn:ids>003</urn:ids></urn:undelete>");

    SoapEnvelope.Element envelope = SoapEnvelope.parse(xml);
    assertThat(envelope.child("Header").child("SessionHeader").text("sessionId")).isEqualTo("00D!a&b");
    assertThat(SoapEnvelope.body(xml).child("undelete").all("ids")).extracting(SoapEnvelope.Element::text)
        .isEqualTo(List.of("003"));
  }
}

Feature: The funder's side: the county view and the review of submitted returns
  As the OPCC's commissioning officer
  I want every partnership's funding, spend and returns in one table, and to accept or query each return
  So that I can see the county's spend and answer for the money the OPCC passes on

  Background:
    Given the demo partnership has submitted its PLF 2026/27 H1 return

  Scenario: the funder accepts a submitted return
    When the funder accepts the H1 return
    Then the H1 return's history reads "version 1 accepted"
    And the county view shows the PLF return as "H1 accepted"

  Scenario: the funder queries a return and the manager replies
    When the funder queries the H1 return saying "Why is the CCTV line overspent?"
    And the manager replies "The second camera cost more than quoted; agreed by the Strategic Group."
    Then the H1 return's history reads "version 1 queried"
    And the H1 return's history reads "version 1 replied"
    And the county view shows the PLF return as "H1 replied"

  Scenario: an amendment answers a query with a new version, and its PDF carries the exchange
    Given the funder has queried the H1 return saying "Please restate the CCTV spend"
    When the manager amends the H1 return because "Restated at the funder's request"
    Then the county view shows the PLF return as "H1 submitted"
    And the PDF of version 2 shows "version 1 queried" on its cover

  Scenario: a query needs a comment
    When the funder queries the H1 return without a comment
    Then it is refused
    And the refusal says "the query's comment is required"

  Scenario: the funder reviews but changes no ledger
    When the funder records £25.00 on "Youth diversion sessions" dated 01/11/2026
    Then it is refused
    And the refusal says "can only read the ledger"

  Scenario: only the funder accepts a return
    When the manager accepts the H1 return
    Then it is refused
    And the refusal says "only the funder accepts or queries"

  Scenario: the county totals are the partnerships' own figures
    When the funder writes the county view for 2026/27 as CSV
    Then the county total's funding, received, allocated and spent equal the sums of the funds list

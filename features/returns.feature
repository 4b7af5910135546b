Feature: The return from draft to signed-off submission, a locked period and findings people can act on
  As the Community Safety Manager and the Strategic Group
  We want a return signed off by a Strategic Group member before the manager submits it
  So that the funder receives figures the partnership has agreed, and they stay as sent

  Background:
    Given the demo partnership with its PLF 2026/27 fund

  # -- sign-off and submission -------------------------------------------------------------------
  Scenario: a return with open errors, an unexplained red line and no sign-off is refused, listing each reason
    When the manager submits the H1 return
    Then it is refused
    And the refusal says "open error finding ALC004 on Prevention campaign materials"
    And the refusal says "open error finding SPD001 on Mobile CCTV camera fund"
    And the refusal says "line 'Mobile CCTV camera fund' is Red and has no explanation"
    And the refusal says "no Strategic Group member has signed off the figures"

  Scenario: the Strategic Group signs off, then the manager submits
    Given the Strategic Group has accepted the H1 errors
    And the manager has explained "Mobile CCTV camera fund" as "The second camera cost more than quoted."
    When the Strategic Group signs off the H1 return
    And the manager submits the H1 return
    Then the H1 return is submitted as version 1, signed off by the account "strategic"

  Scenario: the manager cannot sign off a return
    When the manager signs off the H1 return
    Then it is refused
    And the refusal says "only the Strategic Group"

  Scenario: a change to the figures after sign-off needs a new sign-off
    Given the Strategic Group has accepted the H1 errors
    And the manager has explained "Mobile CCTV camera fund" as "The second camera cost more than quoted."
    And the Strategic Group has signed off the H1 return
    When the manager records £100.00 on "Youth diversion sessions" dated 01/09/2026
    And the manager submits the H1 return
    Then it is refused
    And the refusal says "they need a new sign-off"

  # -- accepting a finding -----------------------------------------------------------------------
  Scenario: an accepted finding is shown as accepted and no longer open
    When the Strategic Group accepts SPD001 on "Mobile CCTV camera fund" as at 30/09/2026 because "Covered by contingency"
    Then SPD001 on "Mobile CCTV camera fund" is not open as at 30/09/2026
    And its acceptance records "strategic" and "Covered by contingency"

  Scenario: an accepted finding comes back when its figures change
    Given the Strategic Group has accepted SPD001 on "Mobile CCTV camera fund" as at 30/09/2026
    When the manager records £10.00 on "Mobile CCTV camera fund" dated 20/09/2026
    Then SPD001 on "Mobile CCTV camera fund" is open as at 30/09/2026

  Scenario: an accepted finding comes back when its review date passes
    When the Strategic Group accepts SPD001 on "Mobile CCTV camera fund" as at 30/09/2026 because "Covered" to review by 31/12/2026
    Then SPD001 on "Mobile CCTV camera fund" is not open as at 31/12/2026
    And SPD001 on "Mobile CCTV camera fund" is open as at 02/01/2027

  # -- a locked period ---------------------------------------------------------------------------
  Scenario: a spend dated inside a submitted half is refused, and nothing changes
    Given the H1 return has been submitted
    When the manager records £40.00 on "Youth diversion sessions" dated 15/09/2026
    Then it is refused
    And the refusal says "the PLF 2026/27 H1 return was submitted on 30/10/2026"
    And no spend was recorded

  Scenario: the same spend as a post-submission adjustment is recorded and reported on the next return
    Given the H1 return has been submitted
    When the manager records £40.00 on "Youth diversion sessions" dated 15/09/2026 as an adjustment because "Late invoice"
    Then the H2 return lists the adjustment to 2026/27 H1 "payment of £40.00 on Youth diversion sessions"
    And an RPT004 finding is open until the next return is submitted

  Scenario: a spend dated after the submitted half is not locked
    Given the H1 return has been submitted
    When the manager records £1.00 on "Youth diversion sessions" dated 02/10/2026
    Then the spend was recorded

  # -- amendments ---------------------------------------------------------------------------------
  Scenario: an amendment makes version 2 and version 1 stays exactly as sent
    Given the H1 return has been submitted and its PDF kept
    And the manager has recorded £40.00 on "Youth diversion sessions" dated 15/09/2026 as an adjustment because "Late invoice"
    When the Strategic Group signs off the H1 return
    And the manager amends the H1 return because "The OPCC asked for the late invoice"
    Then the H1 return is at version 2
    And version 1's PDF is byte-identical to the one kept

  # -- closing a year -----------------------------------------------------------------------------
  Scenario: closing 2017/18 takes its findings off the open list and makes its ledger read-only
    When the Strategic Group closes 2017/18
    Then no finding on the PLF 2017/18 fund is open
    And a spend on the PLF 2017/18 fund is refused as read-only

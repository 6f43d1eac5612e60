// Signing in offline against the device's verifier (offline_sign_in.h).
#include <gtest/gtest.h>

#include "core/device_store.h"
#include "core/offline_sign_in.h"

namespace handbook {
namespace {

TEST(OfflineSignIn, TheRightPasswordOnlyForSomeoneSeenHereAndADamagedRecordIsSaid) {
    auto opened = open_device_store(":memory:");
    ASSERT_TRUE(opened.is_ok());
    Database& device = **opened;
    ASSERT_TRUE(remember_offline_verifier(device, "sam", "staff", "counter tablet phrase").is_ok());
    auto right = check_offline_password(device, "sam", "counter tablet phrase");
    ASSERT_TRUE(right.is_ok());
    EXPECT_EQ(right->outcome, OfflineSignIn::Outcome::signed_in);
    EXPECT_EQ(right->role, "staff");
    EXPECT_EQ(check_offline_password(device, "sam", "counter tablet phrasE")->outcome, OfflineSignIn::Outcome::wrong_password);
    EXPECT_EQ(check_offline_password(device, "kim", "counter tablet phrase")->outcome, OfflineSignIn::Outcome::unknown_person);
    EXPECT_FALSE(remember_offline_verifier(device, "sam", "staff", "").is_ok());
    ASSERT_TRUE(save_device_value(device, "verifier:sam", "{not json").is_ok());
    auto damaged = check_offline_password(device, "sam", "counter tablet phrase");
    ASSERT_FALSE(damaged.is_ok());
    EXPECT_EQ(damaged.status().code, StatusCode::corrupt);
}

}  // namespace
}  // namespace handbook
